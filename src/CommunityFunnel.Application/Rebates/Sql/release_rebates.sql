-- Moves what is still pending of each earned entry of the locked orders (@order_ids) whose hold is over to available,
-- once per (order, member, level): a run that repeats, or races another instance, inserts nothing twice.
-- What is still pending is read now, after the lock, so refunds committed meanwhile are counted. Rebates on the
-- orders of a member whose referral waits for review (or was rejected) stay pending.
INSERT INTO funnel.rebate_entries
    (id, kind, member_id, currency, level, order_id, source_id, buyer_id, pending_delta, available_delta, paid_out_delta, created_at, available_at)
SELECT gen_random_uuid(), 'Released', e.member_id, e.currency, e.level, e.order_id, e.order_id, e.buyer_id, -left_over.amount, left_over.amount, 0, @now, NULL
FROM funnel.rebate_entries e
CROSS JOIN LATERAL (
    SELECT COALESCE(SUM(x.pending_delta), 0) AS amount
    FROM funnel.rebate_entries x
    WHERE x.order_id = e.order_id AND x.member_id = e.member_id AND x.level = e.level) AS left_over
WHERE e.kind = 'Earned'
  AND e.order_id = ANY(@order_ids)
  AND e.available_at <= @now
  AND left_over.amount > 0
  AND NOT EXISTS (
      SELECT 1 FROM funnel.referrals rf
      WHERE rf.member_id = e.buyer_id AND rf.status IN ('Flagged', 'Rejected'))
ON CONFLICT (kind, source_id, member_id, level) DO NOTHING
