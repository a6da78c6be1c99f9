-- Reader signals (diemtin.store.signals). A view counts once per reader (or client)
-- per article per Vietnam day: a keyed 63-bit mark of the three is kept for the
-- day only (older days are deleted), so nobody is stored in the clear and the
-- hourly view_counts stay the record.
CREATE TABLE view_marks (
  day BIGINT NOT NULL,
  mark BIGINT NOT NULL,
  PRIMARY KEY (day, mark)
);

-- Generated secrets (the reader cookie key when the operator set none), shared by
-- every process of the site.
CREATE TABLE site_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
