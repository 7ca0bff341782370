-- secdesk schema v6: the stored data's generation. Every change to the
-- stored tickets, events and responses comes with a row of `imports`
-- inserted, updated or deleted in the same transaction; these triggers bump
-- the generation there, so a snapshot of the loaded frames tagged with it
-- can tell whether it is still the data's. `tickets_generation` moves only
-- with ticket imports (a survey import leaves the tickets' frames as they
-- were). `database` tells this database from a copy of another one.
CREATE TABLE data_generation (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    database           TEXT NOT NULL,
    generation         INTEGER NOT NULL,
    tickets_generation INTEGER NOT NULL
);
INSERT INTO data_generation (id, database, generation, tickets_generation)
VALUES (1, lower(hex(randomblob(16))), 1, 1);
CREATE TRIGGER imports_inserted AFTER INSERT ON imports
BEGIN
    UPDATE data_generation SET generation = generation + 1,
        tickets_generation = tickets_generation + (NEW.kind <> 'surveys');
END;
CREATE TRIGGER imports_updated AFTER UPDATE ON imports
BEGIN
    UPDATE data_generation SET generation = generation + 1,
        tickets_generation = tickets_generation + (NEW.kind <> 'surveys' OR OLD.kind <> 'surveys');
END;
CREATE TRIGGER imports_deleted AFTER DELETE ON imports
BEGIN
    UPDATE data_generation SET generation = generation + 1,
        tickets_generation = tickets_generation + (OLD.kind <> 'surveys');
END;
