-- The operator's console (diemtin.store.admin): people who may sign in, their
-- sessions, sign-in attempts for rate limiting, the log of every change, and pins.

CREATE TABLE admin_users (
  id {{id}},
  name TEXT NOT NULL UNIQUE,
  -- argon2id, in the PHC string format argon2-cffi writes
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_signin_at BIGINT
);

-- A signed-in browser. Only a hash of the cookie's token is kept, so reading the
-- table does not hand out sessions; the CSRF token is the session's own.
CREATE TABLE admin_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES admin_users(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX admin_sessions_expires ON admin_sessions (expires_at);

-- Sign-in attempts per account and per client address in fixed windows, shared by
-- every web process.
CREATE TABLE admin_attempts (
  key TEXT NOT NULL,
  slot BIGINT NOT NULL,
  hits INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (key, slot)
);

-- Who changed what, and when: every change made through the console.
CREATE TABLE admin_audit (
  id {{id}},
  user_name TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL
);
CREATE INDEX admin_audit_at ON admin_audit (at);

-- Articles an operator pinned to Tiêu điểm: ranking puts them first, newest pin first.
CREATE TABLE article_pins (
  article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  pinned_by TEXT NOT NULL,
  pinned_at BIGINT NOT NULL
);
