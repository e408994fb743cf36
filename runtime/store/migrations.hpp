#pragma once

#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace mc {

/// One numbered SQL file in the schema directory, e.g. 001_init.sql.
struct migration {
  int version;
  std::string path;
};

/// The migrations in `dir`, sorted by version.
std::vector<migration> list_migrations(const std::string& dir);

/// Highest version in `dir`, 0 if none.
int latest_migration(const std::string& dir);

/// The version the database is at (0 when nothing was applied yet).
int schema_version(pqxx::connection& conn);

/// Applies the missing migrations in order, each in its own transaction,
/// under an advisory lock so that masters starting together apply each file
/// once. Returns the number of migrations applied.
int apply_migrations(pqxx::connection& conn, const std::string& dir);

} // namespace mc
