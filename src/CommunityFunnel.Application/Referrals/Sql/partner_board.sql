-- Partners per group: each referrer's referrals in the group (refused attempts are not referrals), the referred
-- members who paid there, what they paid net of refunds, and the rebates the referrer earned on the group's orders
-- net of voids and clawbacks. Best first by revenue brought, within each currency (amounts of two currencies never
-- rank together).
-- @group_ids: the groups to count (those the actor runs, or one of them); @limit: how many rows at most.
WITH brought AS (
    SELECT r.group_id, r.referrer_id, r.member_id
    FROM funnel.referrals r
    WHERE r.status <> 'Refused' AND r.group_id = ANY(@group_ids)
),
paid AS (
    SELECT b.group_id, b.referrer_id,
           count(DISTINCT o.member_id) AS payers,
           sum(o.unit_price * o.quantity - o.refunded_amount) AS revenue
    FROM brought b
    JOIN funnel.orders o ON o.member_id = b.member_id AND o.group_id = b.group_id AND o.status = 'Paid'
    GROUP BY b.group_id, b.referrer_id
),
earned AS (
    SELECT o.group_id, e.member_id AS referrer_id, sum(e.pending_delta + e.available_delta) AS net
    FROM funnel.rebate_entries e
    JOIN funnel.orders o ON o.id = e.order_id
    WHERE e.kind IN ('Earned', 'Voided', 'ClawedBack') AND o.group_id = ANY(@group_ids)
    GROUP BY o.group_id, e.member_id
),
joins AS (
    SELECT group_id, referrer_id, count(*)::int AS joins
    FROM brought
    GROUP BY group_id, referrer_id
)
SELECT j.group_id, g.name AS group_name, j.referrer_id AS member_id, m.display_name AS name, j.joins,
       coalesce(p.payers, 0)::int AS referred_payers, coalesce(p.revenue, 0) AS revenue_brought, coalesce(e.net, 0) AS rebates,
       g.currency
FROM joins j
JOIN funnel.groups g ON g.id = j.group_id
JOIN funnel.members m ON m.id = j.referrer_id
LEFT JOIN paid p ON p.group_id = j.group_id AND p.referrer_id = j.referrer_id
LEFT JOIN earned e ON e.group_id = j.group_id AND e.referrer_id = j.referrer_id
ORDER BY g.currency, revenue_brought DESC, j.joins DESC, m.display_name
LIMIT @limit
