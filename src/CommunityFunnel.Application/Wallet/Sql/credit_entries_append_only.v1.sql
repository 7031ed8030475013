-- The store-credit ledger is append-only like the rebate ledger (the function is in rebate_entries_append_only).
DROP TRIGGER IF EXISTS credit_entries_append_only ON funnel.credit_entries;
CREATE TRIGGER credit_entries_append_only
    BEFORE UPDATE OR DELETE ON funnel.credit_entries
    FOR EACH ROW EXECUTE FUNCTION funnel.refuse_ledger_change();
