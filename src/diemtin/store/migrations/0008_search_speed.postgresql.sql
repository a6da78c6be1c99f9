-- Every search reads a GIN index's whole pending list: the entries of recent
-- inserts not yet merged into the index, up to gin_pending_list_limit (4 MB by
-- default). On the baomoi corpus a full list cost each search 2 ms of its 3.7.
-- A small list still batches the writes of an import, and bounds that cost.
ALTER INDEX search_docs_words SET (gin_pending_list_limit = 256);
ALTER INDEX search_docs_title_words SET (gin_pending_list_limit = 256);

-- Merge what is pending now rather than at the next insert.
SELECT gin_clean_pending_list('search_docs_words'), gin_clean_pending_list('search_docs_title_words');
