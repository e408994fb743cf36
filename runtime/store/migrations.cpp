#include "runtime/store/migrations.hpp"

#include <algorithm>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mc {

namespace {

/// Advisory lock key of the migrator ("mcmigrat" in ASCII).
constexpr long long migration_lock_key = 0x6d636d6967726174LL;

} // namespace

std::vector<migration> list_migrations(const std::string& dir) {
  std::vector<migration> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr)
    throw std::runtime_error("cannot open schema directory " + dir);
  while (auto* entry = ::readdir(d)) {
    std::string name = entry->d_name;
    if (name.size() < 5 || name.substr(name.size() - 4) != ".sql")
      continue;
    size_t digits = 0;
    while (digits < name.size() && isdigit(static_cast<unsigned char>(name[digits])))
      ++digits;
    if (digits == 0)
      continue;
    out.push_back({std::stoi(name.substr(0, digits)), dir + "/" + name});
  }
  ::closedir(d);
  std::sort(out.begin(), out.end(),
            [](auto& a, auto& b) { return a.version < b.version; });
  return out;
}

int latest_migration(const std::string& dir) {
  auto all = list_migrations(dir);
  return all.empty() ? 0 : all.back().version;
}

int schema_version(pqxx::connection& conn) {
  pqxx::work tx{conn};
  auto exists = tx.exec1("SELECT to_regclass('public.schema_version') IS NOT NULL")[0]
                  .as<bool>();
  if (!exists)
    return 0;
  return tx.exec1("SELECT coalesce(max(version), 0) FROM schema_version")[0]
    .as<int>();
}

int apply_migrations(pqxx::connection& conn, const std::string& dir) {
  auto all = list_migrations(dir);
  {
    pqxx::nontransaction tx{conn};
    tx.exec("SELECT pg_advisory_lock(" + std::to_string(migration_lock_key) + ")");
  }
  int applied = 0;
  try {
    {
      pqxx::work tx{conn};
      tx.exec("CREATE TABLE IF NOT EXISTS schema_version ("
              "version integer PRIMARY KEY, "
              "applied_at timestamptz NOT NULL DEFAULT now())");
      tx.commit();
    }
    int current = schema_version(conn);
    for (auto& m : all) {
      if (m.version <= current)
        continue;
      std::ifstream in(m.path);
      std::stringstream sql;
      sql << in.rdbuf();
      pqxx::work tx{conn};
      tx.exec(sql.str());
      tx.exec("INSERT INTO schema_version (version) VALUES ("
              + std::to_string(m.version) + ")");
      tx.commit();
      ++applied;
    }
  } catch (...) {
    pqxx::nontransaction tx{conn};
    tx.exec("SELECT pg_advisory_unlock(" + std::to_string(migration_lock_key) + ")");
    throw;
  }
  pqxx::nontransaction tx{conn};
  tx.exec("SELECT pg_advisory_unlock(" + std::to_string(migration_lock_key) + ")");
  return applied;
}

} // namespace mc
