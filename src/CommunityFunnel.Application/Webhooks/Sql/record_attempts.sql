-- Every attempt goes in the log, even one whose lease ran out before it was recorded: it happened.
INSERT INTO funnel.webhook_attempts (delivery_id, number, attempted_at, status_code, error, duration_ms)
SELECT * FROM unnest(@ids::bigint[], @attempts::int[], @attempted_ats::timestamptz[], @status_codes::int[], @errors::text[], @durations::int[])
