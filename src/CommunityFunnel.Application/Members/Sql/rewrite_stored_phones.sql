-- Rewrites one batch of stored phones to their E.164 form, and never gives two members one number: a member whose
-- number another member already has (or another of this batch gets, the earliest joined winning) keeps the stored
-- phone and becomes a finding for an admin, as does one whose phone is no valid phone in their country (no E.164 form).
-- Parameters: member_ids uuid[], stored text[], normalized text[] (null: not a valid phone), now timestamptz.
-- Answers one row: rewritten, duplicates, unreadable.
WITH batch AS (
    SELECT b.member_id, b.stored_phone, b.normalized_phone, m.joined_at
    FROM unnest(@member_ids::uuid[], @stored::text[], @normalized::text[]) AS b(member_id, stored_phone, normalized_phone)
    JOIN funnel.members m ON m.id = b.member_id AND m.phone = b.stored_phone -- a phone changed meanwhile was written normalized
),
free AS (
    SELECT b.* FROM batch b
    WHERE b.normalized_phone IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM funnel.members m WHERE m.phone = b.normalized_phone AND m.id <> b.member_id)
),
winners AS (
    SELECT DISTINCT ON (f.normalized_phone) f.member_id, f.stored_phone, f.normalized_phone
    FROM free f
    ORDER BY f.normalized_phone, f.joined_at, f.member_id
),
rewritten AS (
    UPDATE funnel.members m SET phone = w.normalized_phone
    FROM winners w
    WHERE m.id = w.member_id AND m.phone = w.stored_phone
    RETURNING m.id
),
left_as_is AS (
    SELECT b.* FROM batch b WHERE b.member_id NOT IN (SELECT member_id FROM winners)
),
found AS (
    INSERT INTO funnel.phone_findings (member_id, stored_phone, normalized_phone, found_at)
    SELECT l.member_id, l.stored_phone, l.normalized_phone, @now FROM left_as_is l
    ON CONFLICT (member_id) DO UPDATE
        SET stored_phone = excluded.stored_phone, normalized_phone = excluded.normalized_phone, found_at = excluded.found_at
        WHERE (phone_findings.stored_phone, phone_findings.normalized_phone) IS DISTINCT FROM (excluded.stored_phone, excluded.normalized_phone)
)
SELECT
    (SELECT count(*) FROM rewritten)::int AS rewritten,
    (SELECT count(*) FROM left_as_is WHERE normalized_phone IS NOT NULL)::int AS duplicates,
    (SELECT count(*) FROM left_as_is WHERE normalized_phone IS NULL)::int AS unreadable;
