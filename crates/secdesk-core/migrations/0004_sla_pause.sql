-- secdesk schema v4: what SLA clocks leave out. A status event keeps the
-- status the ticket moved to (canonical: open, pending, resolved, closed),
-- so that the time a ticket waited on its requester (pending) can pause the
-- clocks; a ticket keeps the total waiting time its export gives (vendor
-- columns such as Zendesk's agent wait time, GLPI's waiting duration), in ms.
ALTER TABLE ticket_events ADD COLUMN status TEXT;
ALTER TABLE tickets ADD COLUMN paused_ms INTEGER;
