-- secdesk schema v4: a status event keeps the status the ticket moved to
-- (canonical: open, pending, resolved, closed), so that the time a ticket
-- waited on its requester (pending) can pause SLA clocks.
ALTER TABLE ticket_events ADD COLUMN status TEXT;
