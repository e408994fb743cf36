#include "http/idempotency_key.hpp"

#include <openssl/sha.h>

#include "http/base64.hpp"
#include "http/send_request.hpp"
#include "runtime/onprem_codes.hpp"

namespace mc::http {

std::variant<std::string, api_error>
message_id_for_key(const std::string& key) {
  if (key.empty())
    return new_message_id();
  bool printable = true;
  for (unsigned char c : key)
    printable = printable && c >= 0x21 && c <= 0x7e;
  if (key.size() > max_idempotency_key || !printable)
    return make_api_error(codes::invalid_parameter,
                          std::string{idempotency_header}
                            + " must be 1 to 128 printable ASCII characters");
  // 160 bits, as a random id: SHA-1 of a domain prefix and the key. Keys
  // are the client's own names, so collisions between clients need the
  // same key; within one client a key names one message.
  std::string input = "mc-idempotency-key:" + key;
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(),
       digest);
  return base64url_encode(
    std::string_view{reinterpret_cast<const char*>(digest), sizeof(digest)});
}

} // namespace mc::http
