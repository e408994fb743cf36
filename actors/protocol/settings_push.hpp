#pragma once

/// The settings push: a webapp that changed the application settings
/// (PATCH /v1/settings/application) hands them to every coreapp node it
/// routes to and waits for their acks, so the change is in force there when
/// the PATCH answers. The nodes still read the settings from the database
/// every second (the fallback for a node the push missed: a standby, one
/// unreachable at the time).
///
///   webapp                                   coreapp node
///     |-- (settings_push, stored json) ---------->|  settings_cache::set
///     |<----------------------------------- ok ---|

#include <string>

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

namespace mc {

using settings_push_atom = caf::atom_constant<caf::atom("set_push")>;

/// (settings_push, json) -> ok: `json` is the stored form of the settings
/// (runtime/app_settings.hpp, settings_to_stored_json).
using settings_push_actor = caf::typed_actor<
  caf::replies_to<settings_push_atom, std::string>::with<caf::ok_atom>>;

} // namespace mc
