#include <doctest/doctest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "actors/sim/sim_ledger.hpp"

using namespace mc;

namespace {

std::vector<upstream_message> batch_of(std::vector<std::string> ids) {
  std::vector<upstream_message> out;
  for (auto& id : ids)
    out.push_back(upstream_message{id, "1555" + id,
                                   R"({"type":"text","text":{"body":")" + id
                                     + R"("}})"});
  return out;
}

} // namespace

TEST_CASE("the ledger logs new ids in order and counts duplicates") {
  sim_ledger ledger{16};
  std::vector<bool> fresh;
  CHECK(ledger.accept("acc", 3, 7, batch_of({"a", "b", "c"}), fresh) == 3);
  CHECK(fresh == std::vector<bool>{true, true, true});
  // "b" again (from another epoch, as after a failover) and one new id.
  CHECK(ledger.accept("acc", 3, 8, batch_of({"b", "d", "b"}), fresh) == 1);
  CHECK(fresh == std::vector<bool>{false, true, false});
  CHECK(ledger.size() == 4);
  CHECK(ledger.seen("b"));
  CHECK_FALSE(ledger.seen("z"));
  auto s = ledger.stats();
  CHECK(s.accepted == 4);
  CHECK(s.duplicates == 2);
  REQUIRE(s.sessions.size() == 1);
  CHECK(s.sessions[0].account == "acc");
  CHECK(s.sessions[0].shard == 3);
  CHECK(s.sessions[0].accepted == 4);
  auto log = ledger.entries(0, 10);
  REQUIRE(log.size() == 4);
  CHECK(log[0].id == "a");
  CHECK(log[0].recipient == "1555a");
  CHECK(log[0].account == "acc");
  CHECK(log[0].seq == 1);
  CHECK(log[3].id == "d");
  CHECK(log[3].epoch == 8);
  CHECK(log[3].seq == 4);
  // The whole document is kept, byte for byte, next to id and recipient.
  CHECK(log[0].payload == R"({"type":"text","text":{"body":"a"}})");
  CHECK(log[3].payload == R"({"type":"text","text":{"body":"d"}})");
}

TEST_CASE("the ledger counts logins, kicks, refusals and sessions") {
  sim_ledger ledger{16};
  ledger.on_login("acc", 0, 1);
  ledger.on_login("acc", 1, 1);
  ledger.on_login("acc", 0, 2);
  ledger.count_kick();
  ledger.count_refused(2);
  ledger.count_receipts(5);
  ledger.count_inbound(3);
  ledger.on_session_closed("acc", 1);
  auto s = ledger.stats();
  CHECK(s.logins == 3);
  CHECK(s.kicks == 1);
  CHECK(s.refused == 2);
  CHECK(s.receipts == 5);
  CHECK(s.inbound == 3);
  REQUIRE(s.sessions.size() == 2);
  CHECK(s.sessions[0].shard == 0);
  CHECK(s.sessions[0].epoch == 2);
  CHECK(s.sessions[0].live);
  CHECK(s.sessions[1].shard == 1);
  CHECK_FALSE(s.sessions[1].live);
}

TEST_CASE("log queries page through the log") {
  sim_ledger ledger{16};
  std::vector<bool> fresh;
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i)
    ids.push_back("m" + std::to_string(i));
  ledger.accept("acc", 2, -1, batch_of(ids), fresh);
  CHECK(ledger.log_text(0, 2) == "1\tm0\t1555m0\t2\t-1\n2\tm1\t1555m1\t2\t-1\n");
  CHECK(ledger.log_text(9, 5) == "10\tm9\t1555m9\t2\t-1\n");
  CHECK(ledger.log_text(10, 5).empty());
  CHECK(ledger.log_text(100, 5).empty());
  CHECK(ledger.entries(4, 3).size() == 3);
  CHECK(ledger.entries(4, 3)[0].id == "m4");
  // Pages concatenate to the whole log.
  std::string whole;
  for (size_t from = 0; from < 10; from += 3)
    whole += ledger.log_text(from, 3);
  CHECK(whole == ledger.log_text(0, 100));
}

TEST_CASE("reset clears the log and counters, not the sessions") {
  sim_ledger ledger{16};
  std::vector<bool> fresh;
  ledger.on_login("acc", 0, 1);
  ledger.accept("acc", 0, 1, batch_of({"a", "a"}), fresh);
  ledger.count_kick();
  ledger.reset();
  auto s = ledger.stats();
  CHECK(s.accepted == 0);
  CHECK(s.duplicates == 0);
  CHECK(s.kicks == 0);
  CHECK(s.logins == 0);
  REQUIRE(s.sessions.size() == 1);
  CHECK(s.sessions[0].live);
  CHECK(s.sessions[0].accepted == 0);
  // The seen set is cleared with the log; sequence numbers go on.
  CHECK(ledger.accept("acc", 0, 1, batch_of({"a"}), fresh) == 1);
  CHECK(ledger.entries(0, 1)[0].seq == 2);
}

TEST_CASE("fault requests are taken once") {
  sim_ledger ledger{16};
  auto gen = ledger.fault_generation();
  ledger.request_drop_sessions();
  ledger.request_refuse_logins(500);
  ledger.set_extra_latency_ms(30);
  CHECK(ledger.fault_generation() > gen);
  CHECK(ledger.extra_latency_ms() == 30);
  auto req = ledger.take_fault_requests();
  CHECK(req.drop_sessions == 1);
  REQUIRE(req.refuse_logins_ms);
  CHECK(*req.refuse_logins_ms == 500);
  auto again = ledger.take_fault_requests();
  CHECK(again.drop_sessions == 0);
  CHECK_FALSE(again.refuse_logins_ms);
}

TEST_CASE("two threads appending lose nothing") {
  constexpr int per_thread = 20000;
  sim_ledger ledger{1024};
  auto work = [&](std::string prefix) {
    std::vector<bool> fresh;
    for (int i = 0; i < per_thread; i += 10) {
      std::vector<upstream_message> batch;
      for (int j = i; j < i + 10; ++j)
        batch.push_back(upstream_message{prefix + std::to_string(j), "1", ""});
      ledger.accept(prefix, 0, 1, batch, fresh);
      // Every id is also re-sent once: it must count as a duplicate.
      ledger.accept(prefix, 0, 1, batch, fresh);
    }
  };
  std::thread t1{work, "x"};
  std::thread t2{work, "y"};
  t1.join();
  t2.join();
  auto s = ledger.stats();
  CHECK(s.accepted == 2 * per_thread);
  CHECK(s.duplicates == 2 * per_thread);
  auto log = ledger.entries(0, 3 * per_thread);
  REQUIRE(log.size() == 2 * per_thread);
  std::set<std::string> ids;
  int next_x = 0;
  int next_y = 0;
  for (size_t i = 0; i < log.size(); ++i) {
    CHECK(log[i].seq == i + 1);
    ids.insert(log[i].id);
    // Each thread's ids appear in its own order.
    if (log[i].account == "x")
      CHECK(log[i].id == "x" + std::to_string(next_x++));
    else
      CHECK(log[i].id == "y" + std::to_string(next_y++));
  }
  CHECK(ids.size() == 2 * per_thread);
}
