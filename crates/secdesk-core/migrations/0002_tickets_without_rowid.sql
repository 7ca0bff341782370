-- secdesk schema v2: tickets stored in their primary-key b-tree (one b-tree
-- per insert instead of a table plus its key index). Large imports write half
-- the pages.
CREATE TABLE tickets_v2 (
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
) WITHOUT ROWID;
INSERT INTO tickets_v2 SELECT source, ticket_id, import_id, created_at, first_response_at, resolved_at,
    closed_at, last_update_at, status, status_raw, priority, priority_raw, category, team, assignee,
    requester, department, channel, reopen_count, follow_ups, affected_users, reassignment_count,
    knowledge FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_v2 RENAME TO tickets;
-- no import index
