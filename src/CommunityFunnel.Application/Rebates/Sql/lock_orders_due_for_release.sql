-- The orders whose earned rebates are due to become available, locked in a fixed order: a refund of the same order
-- (which updates the order row first) then waits for the release, or the release for the refund, so a clawback never
-- takes from pending what a release is moving to available at the same moment.
-- @now: the release instant; @batch: how many orders at most.
SELECT o.id
FROM funnel.orders o
WHERE o.id IN (
    SELECT e.order_id
    FROM funnel.rebate_entries e
    WHERE e.kind = 'Earned'
      AND e.available_at <= @now
      AND NOT EXISTS (
          SELECT 1 FROM funnel.referrals rf
          WHERE rf.member_id = e.buyer_id AND rf.status IN ('Flagged', 'Rejected'))
      AND NOT EXISTS (
          SELECT 1 FROM funnel.rebate_entries r
          WHERE r.kind = 'Released' AND r.source_id = e.order_id AND r.member_id = e.member_id AND r.level = e.level)
    ORDER BY e.available_at
    LIMIT @batch)
ORDER BY o.id
FOR UPDATE OF o
