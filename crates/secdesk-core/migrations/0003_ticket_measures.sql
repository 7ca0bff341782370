-- secdesk schema v3: what each ticket's export can measure (bit 1 first
-- response, 2 reopens, 4 last update). Tickets stored before were read with
-- every input assumed: they keep all three.
ALTER TABLE tickets ADD COLUMN measures INTEGER NOT NULL DEFAULT 7;
