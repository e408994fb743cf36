#pragma once

#include <string>

namespace mc::test {

/// Base URI of the test PostgreSQL without a database name, from the
/// environment variable MC_TEST_PG (set by deploy/test), e.g.
/// "postgresql://multiconnect@127.0.0.1:55432" (its password in the file
/// PGPASSFILE names). Fails the test when unset.
std::string test_pg_base();

/// A fresh empty database on the test PostgreSQL, dropped on destruction,
/// so every test case starts from nothing and cases never see each other.
class scratch_db {
public:
  explicit scratch_db(const std::string& hint = "t");
  /// The same on the PostgreSQL at `base` (e.g. one of the test's own).
  scratch_db(const std::string& hint, const std::string& base);
  ~scratch_db();
  scratch_db(const scratch_db&) = delete;
  scratch_db& operator=(const scratch_db&) = delete;

  /// Connection URI of the scratch database.
  const std::string& uri() const { return uri_; }
  const std::string& name() const { return name_; }

private:
  std::string name_;
  std::string base_;
  std::string uri_;
};

} // namespace mc::test
