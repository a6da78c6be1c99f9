-- The whole product's schema, first version. Times are UTC epoch seconds.
-- {{id}} and {{blob}} are filled in per engine by the migration runner.

CREATE TABLE categories (
  id {{id}},
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  -- an operator's merge points the old category at the new one
  merged_into BIGINT REFERENCES categories(id),
  created_at BIGINT NOT NULL
);

-- A publisher. Registry rows are synced from the shipped data; operators add their own.
CREATE TABLE sources (
  id {{id}},
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  homepage TEXT NOT NULL DEFAULT '',
  origin TEXT NOT NULL DEFAULT 'registry',
  enabled INTEGER NOT NULL DEFAULT 1,
  rules TEXT NOT NULL DEFAULT '{}',
  sections TEXT NOT NULL DEFAULT '[]',
  created_at BIGINT NOT NULL
);

-- One feed, sitemap or section page of a source, with its fetch state.
CREATE TABLE feeds (
  id {{id}},
  source_id BIGINT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  url TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL DEFAULT 'rss',
  category_slug TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  etag TEXT,
  last_modified TEXT,
  next_check_at BIGINT NOT NULL DEFAULT 0,
  last_checked_at BIGINT,
  last_ok_at BIGINT,
  last_new_at BIGINT,
  error_streak INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  last_error_kind TEXT,
  last_error_at BIGINT,
  entries_seen BIGINT NOT NULL DEFAULT 0,
  -- a worker's claim on the feed; expires so a dead worker's feeds are taken over
  lease_owner TEXT,
  lease_until BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX feeds_due ON feeds (enabled, next_check_at);

-- Same-story groups; operators' merges and splits set locked so grouping leaves them be.
CREATE TABLE stories (
  id {{id}},
  title TEXT NOT NULL DEFAULT '',
  first_article_id BIGINT,
  first_published_at BIGINT,
  last_updated_at BIGINT,
  article_count INTEGER NOT NULL DEFAULT 0,
  locked INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

CREATE TABLE articles (
  id {{id}},
  -- stable identity: feed GUID, else cleaned canonical URL, else content hash
  key TEXT NOT NULL UNIQUE,
  source_id BIGINT REFERENCES sources(id),
  feed_id BIGINT REFERENCES feeds(id) ON DELETE SET NULL,
  url TEXT NOT NULL,
  canonical_url TEXT NOT NULL DEFAULT '',
  guid TEXT,
  title TEXT NOT NULL,
  sapo TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '[]',
  body_text TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  lead_image TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  language TEXT NOT NULL DEFAULT 'vi',
  category_id BIGINT REFERENCES categories(id),
  -- who decided the category: feed, section, import, model or operator
  category_source TEXT,
  category_confidence REAL,
  story_id BIGINT REFERENCES stories(id) ON DELETE SET NULL,
  content_hash TEXT NOT NULL,
  title_key TEXT NOT NULL DEFAULT '',
  published_at BIGINT,
  updated_at BIGINT,
  fetched_at BIGINT NOT NULL,
  stored_at BIGINT NOT NULL,
  -- visible, hidden (by an operator) or removed (answers 410)
  status TEXT NOT NULL DEFAULT 'visible',
  removed_at BIGINT
);
CREATE INDEX articles_published ON articles (published_at);
CREATE INDEX articles_category ON articles (category_id, published_at);
CREATE INDEX articles_source ON articles (source_id, published_at);
CREATE INDEX articles_story ON articles (story_id);
CREATE INDEX articles_url ON articles (url);
CREATE INDEX articles_canonical ON articles (canonical_url);

CREATE TABLE article_images (
  article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  src TEXT NOT NULL,
  caption TEXT NOT NULL DEFAULT '',
  credit TEXT NOT NULL DEFAULT '',
  width INTEGER,
  height INTEGER,
  PRIMARY KEY (article_id, position)
);

CREATE TABLE article_tags (
  article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (article_id, tag)
);
CREATE INDEX article_tags_tag ON article_tags (tag);

-- Each distinct content a publisher served for an article: the history of its edits.
CREATE TABLE article_versions (
  article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  content_hash TEXT NOT NULL,
  title TEXT NOT NULL,
  updated_at BIGINT,
  seen_at BIGINT NOT NULL,
  PRIMARY KEY (article_id, content_hash)
);

-- The crawl queue: one row per discovered article URL, moving
-- discovered -> fetched -> extracted -> stored (or failed), each step committed.
CREATE TABLE items (
  id {{id}},
  key TEXT NOT NULL UNIQUE,
  feed_id BIGINT REFERENCES feeds(id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  guid TEXT,
  entry TEXT NOT NULL DEFAULT '{}',
  state TEXT NOT NULL,
  raw {{blob}},
  charset TEXT,
  payload TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  error_kind TEXT,
  article_id BIGINT REFERENCES articles(id) ON DELETE SET NULL,
  next_attempt_at BIGINT NOT NULL DEFAULT 0,
  discovered_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX items_state ON items (state, next_attempt_at);
CREATE INDEX items_url ON items (url);

-- Reader signals: hourly view counters (no row per view) and one vote per reader.
CREATE TABLE view_counts (
  article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  bucket BIGINT NOT NULL,
  views BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (article_id, bucket)
);
CREATE INDEX view_counts_bucket ON view_counts (bucket);

CREATE TABLE votes (
  article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  reader TEXT NOT NULL,
  helpful INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (article_id, reader)
);

-- Resumable imports: how far each archive got, committed with its articles.
CREATE TABLE imports (
  path TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  position BIGINT NOT NULL DEFAULT 0,
  stored BIGINT NOT NULL DEFAULT 0,
  skipped BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  started_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
