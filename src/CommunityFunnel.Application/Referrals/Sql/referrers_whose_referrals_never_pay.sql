-- Referrers most of whose referred members never paid: at least @minimum referrals past the grace period, and at
-- least @share of those members with no order ever paid (a later refund still counts as having paid). Refused
-- attempts are not referrals and do not count. Only referrers with accepted referrals left to flag are returned.
-- @grace_ends: referrals made after it are still young; @minimum: how many old referrals; @share: 0..1.
SELECT r.referrer_id
FROM funnel.referrals r
WHERE r.status <> 'Refused'
  AND r.created_at <= @grace_ends
GROUP BY r.referrer_id
HAVING count(*) >= @minimum
   AND count(*) FILTER (
           WHERE NOT EXISTS (
               SELECT 1 FROM funnel.orders o
               WHERE o.member_id = r.member_id AND o.status IN ('Paid', 'Refunded'))) >= @share * count(*)
   AND EXISTS (SELECT 1 FROM funnel.referrals a WHERE a.referrer_id = r.referrer_id AND a.status = 'Accepted')
