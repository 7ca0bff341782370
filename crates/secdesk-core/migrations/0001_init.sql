-- secdesk schema v1: imports, canonical tickets, their events, survey responses, settings.
CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('tickets', 'surveys')),
    source        TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    format        TEXT NOT NULL,
    rows_read     INTEGER NOT NULL,
    rows_stored   INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    mapping       TEXT NOT NULL,
    report        TEXT NOT NULL,
    imported_at   TEXT NOT NULL
);
CREATE INDEX imports_sha ON imports (sha256, kind);

CREATE TABLE tickets (
    source             TEXT NOT NULL,
    ticket_id          TEXT NOT NULL,
    import_id          INTEGER NOT NULL REFERENCES imports (id),
    created_at         INTEGER NOT NULL,
    first_response_at  INTEGER,
    resolved_at        INTEGER,
    closed_at          INTEGER,
    last_update_at     INTEGER,
    status             TEXT NOT NULL,
    status_raw         TEXT NOT NULL,
    priority           TEXT,
    priority_raw       TEXT,
    category           TEXT,
    team               TEXT,
    assignee           TEXT,
    requester          TEXT,
    department         TEXT,
    channel            TEXT,
    reopen_count       INTEGER NOT NULL,
    follow_ups         INTEGER,
    affected_users     INTEGER NOT NULL,
    reassignment_count INTEGER,
    knowledge          INTEGER,
    PRIMARY KEY (source, ticket_id)
);
CREATE INDEX tickets_import ON tickets (import_id);

CREATE TABLE ticket_events (
    source    TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    at        INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    actor     TEXT
);
CREATE INDEX ticket_events_ticket ON ticket_events (source, ticket_id);
CREATE INDEX ticket_events_import ON ticket_events (import_id);

CREATE TABLE surveys (
    source       TEXT NOT NULL,
    response_key TEXT NOT NULL,
    import_id    INTEGER NOT NULL REFERENCES imports (id),
    ticket_id    TEXT,
    submitted_at INTEGER NOT NULL,
    rating       REAL NOT NULL,
    scale        TEXT NOT NULL,
    comment      TEXT,
    respondent   TEXT,
    PRIMARY KEY (source, response_key)
);
CREATE INDEX surveys_import ON surveys (import_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
