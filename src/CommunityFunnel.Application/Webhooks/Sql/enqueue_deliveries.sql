-- One delivery of an outbox message per active subscription to its type. The unique (subscription_id, event_id)
-- makes a relay that runs again (it failed before committing, or two overlapped) queue nothing new.
INSERT INTO funnel.webhook_deliveries
    (subscription_id, event_id, event_type, occurred_at, body, status, created_at, next_attempt_at, give_up_at, attempts, consecutive_failures)
SELECT s.id, @event_id, @event_type, @occurred_at, @body, 'Pending', @now, @now, @give_up_at, 0, 0
FROM funnel.webhook_subscriptions s
WHERE s.is_active AND @event_type = ANY (s.events)
ON CONFLICT (subscription_id, event_id) DO NOTHING
