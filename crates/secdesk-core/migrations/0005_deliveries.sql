-- secdesk schema v5: the history of report deliveries (secdesk deliver):
-- which week, when, where the files went, to whom, and how it ended.
CREATE TABLE deliveries (
    id           INTEGER PRIMARY KEY,
    week         TEXT NOT NULL,
    delivered_at INTEGER NOT NULL,
    out_dir      TEXT NOT NULL,
    files        TEXT NOT NULL,
    recipients   TEXT NOT NULL,
    status       TEXT NOT NULL
);
CREATE INDEX deliveries_week ON deliveries (week);
