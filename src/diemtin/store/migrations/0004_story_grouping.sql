-- Story grouping: how each article was placed in its story, and its signature,
-- so a restart rebuilds the grouper from the recent window without re-reading text.
CREATE TABLE article_grouping (
  article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  -- 'auto' when grouping placed it; 'operator' when a person did: never regrouped
  placed_by TEXT NOT NULL DEFAULT 'auto',
  -- the reprint or wire copy this article repeats, when grouping found one
  near_duplicate_of BIGINT REFERENCES articles(id) ON DELETE SET NULL,
  score REAL,
  -- how the signature was made; another scheme is recomputed from the text
  scheme TEXT NOT NULL DEFAULT '',
  signature {{blob}}
);
CREATE INDEX article_grouping_near ON article_grouping (near_duplicate_of);

-- An operator's merge leaves the absorbed story pointing at the one it went into.
ALTER TABLE stories ADD COLUMN merged_into BIGINT REFERENCES stories(id) ON DELETE SET NULL;
CREATE INDEX stories_updated ON stories (last_updated_at);
