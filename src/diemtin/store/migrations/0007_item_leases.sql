-- Several workers drain the crawl queue together: an item being worked on is
-- leased (its next attempt pushed to the lease's end) by an owner, so no other
-- worker fetches the same page at the same time, and a dead worker's items
-- come back when the lease ends, or at once when its host sees it is gone.
ALTER TABLE items ADD COLUMN lease_owner TEXT;
CREATE INDEX items_lease ON items (lease_owner);
