-- An operator cancelling an unpaid flash-sale order puts its units back (same lock order as a claim).
CREATE OR REPLACE FUNCTION funnel.return_flash_units(p_sale uuid, p_member uuid, p_quantity int)
RETURNS void
LANGUAGE sql AS $fn$
    UPDATE funnel.flash_sale_buyers SET quantity = quantity - p_quantity WHERE flash_sale_id = p_sale AND member_id = p_member;
    UPDATE funnel.flash_sales SET remaining = remaining + p_quantity WHERE id = p_sale;
$fn$;
