-- One delivery of each relayed message per active subscription to its type, the whole relay batch in one statement.
-- The unique (subscription_id, event_id) makes a relay that runs again (it failed before committing, or a message was
-- put back in the outbox) queue nothing new.
INSERT INTO funnel.webhook_deliveries
    (subscription_id, event_id, event_type, occurred_at, body, status, created_at, next_attempt_at, give_up_at, attempts, consecutive_failures)
SELECT s.id, m.event_id, m.event_type, m.occurred_at, m.body, 'Pending', @now, @now, m.give_up_at, 0, 0
FROM unnest(@event_ids::uuid[], @event_types::text[], @occurred_ats::timestamptz[], @bodies::text[], @give_up_ats::timestamptz[])
    AS m(event_id, event_type, occurred_at, body, give_up_at)
JOIN funnel.webhook_subscriptions s ON s.is_active AND m.event_type = ANY (s.events)
ON CONFLICT (subscription_id, event_id) DO NOTHING
