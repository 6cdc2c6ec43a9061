// `stackgate keys rotate` and `keys list`: the gateway's own signing keys (purpose "tokens" or
// "audit"), read from and written to the store the configuration names, whether the gateway runs
// or not (a running gateway picks a rotation up when it next re-reads its keys). The work is in
// keys/ (KeyRing, the public view of stored keys); this file reads the arguments and prints.
// Private key material is never printed.
//
// Exit status: 0 done; 2 the command could not do its work (usage, configuration, store,
// key-encryption key), matching `stackgate audit`.
#include <iomanip>
#include <iostream>

#include "app/key_rings.hpp"
#include "audit/checkpoint_keys.hpp"
#include "cli/commands.hpp"
#include "cli/configured_store.hpp"
#include "common/clock.hpp"
#include "keys/key_ring.hpp"
#include "keys/stored_key.hpp"

namespace sg::cli {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitError = 2;

constexpr const char* kExitFooter =
    "Exit status: 0 done, 2 the command could not do its work (usage, configuration, store,\n"
    "key-encryption key). docs/cli-keys.md has the details.";

struct KeysOptions {
  std::string config_path;
  std::string purpose = std::string(keys::kTokenKeyPurpose);
};

int fail(std::string_view command, std::string_view message) {
  std::cerr << "stackgate keys " << command << ": " << message << "\n";
  return kExitError;
}

// The ring of `purpose` as the configuration sets it up.
Result<keys::KeyRingOptions> ring_options(const config::Config& cfg, std::string_view purpose) {
  Result<std::optional<keys::KeyEncryptionKey>> kek = app::configured_kek(cfg.tokens);
  if (!kek) return kek.error();
  if (purpose == audit::kCheckpointKeyPurpose) {
    return audit::checkpoint_key_ring_options(jose::Algorithm::kES256, std::move(*kek));
  }
  return app::token_key_ring_options(cfg.tokens, std::move(*kek));
}

int run_rotate(const KeysOptions& o) {
  config::Config cfg;
  std::unique_ptr<store::Store> store =
      open_configured_store(o.config_path, "stackgate keys rotate", std::cerr, &cfg);
  if (!store) return kExitError;
  Result<keys::KeyRingOptions> options = ring_options(cfg, o.purpose);
  if (!options) return fail("rotate", options.error().message);
  const bool sealed = options->kek.has_value();
  keys::KeyRing ring(*store, std::move(*options));
  const Time now = SystemClock().now();
  if (Status loaded = ring.load(now); !loaded) return fail("rotate", loaded.error().message);
  Result<std::string> kid = ring.rotate(now);
  if (!kid) return fail("rotate", kid.error().message);
  const std::size_t published = ring.published_keys(now);
  std::cout << "rotated " << o.purpose << " key: new kid " << *kid << "; " << published
            << (published == 1 ? " key" : " keys") << " published\n";
  if (!sealed) {
    std::cerr << "warning: signing keys are stored unencrypted in the store; set "
                 "tokens.key_encryption_key\n";
  } else if (std::size_t n = ring.unsealed_keys(); n > 0) {
    std::cerr << "note: " << n << " older " << o.purpose
              << " key(s) written before the key-encryption key stay unencrypted in the store\n";
  }
  return kExitOk;
}

int run_list(const KeysOptions& o) {
  std::unique_ptr<store::Store> store =
      open_configured_store(o.config_path, "stackgate keys list", std::cerr);
  if (!store) return kExitError;
  Result<std::vector<keys::StoredKey>> stored = keys::read_stored_keys(*store, o.purpose);
  if (!stored) return fail("list", stored.error().message);
  if (stored->empty()) {
    std::cerr << "stackgate keys list: no " << o.purpose << " keys in the store yet\n";
    return kExitOk;
  }
  std::cout << std::left << std::setw(26) << "KID" << std::setw(10) << "ALGORITHM" << std::setw(26)
            << "CREATED_AT" << std::setw(8) << "SEALED"
            << "CURRENT\n";
  for (std::size_t i = 0; i < stored->size(); ++i) {
    const keys::StoredKey& k = (*stored)[i];
    std::cout << std::left << std::setw(26) << k.record.kid << std::setw(10) << k.record.algorithm
              << std::setw(26) << k.record.created_at << std::setw(8) << (k.sealed ? "yes" : "no")
              << (i == 0 ? "yes" : "no") << "\n";
  }
  return kExitOk;
}

void add_purpose(CLI::App& cmd, KeysOptions& o) {
  cmd.add_option("--purpose", o.purpose, "Which keys: tokens (the default) or audit")
      ->check(CLI::IsMember({"tokens", "audit"}));
}

void add_rotate(CLI::App& keys, int& exit_code) {
  auto o = std::make_shared<KeysOptions>();
  CLI::App* cmd = keys.add_subcommand(
      "rotate",
      "Make a new current signing key (sealed with tokens.key_encryption_key when set); the old "
      "ones stay published while tokens they signed may still be valid (audit keys: forever)");
  cmd->add_option("--config,-c", o->config_path, "Path of stackgate.yaml (its store)")->required();
  add_purpose(*cmd, *o);
  cmd->footer(kExitFooter);
  cmd->callback([o, &exit_code] { exit_code = run_rotate(*o); });
}

void add_list(CLI::App& keys, int& exit_code) {
  auto o = std::make_shared<KeysOptions>();
  CLI::App* cmd = keys.add_subcommand(
      "list",
      "List the stored signing keys, newest (current) first: kid, algorithm, creation time, "
      "whether the private key is sealed — never private material");
  cmd->add_option("--config,-c", o->config_path, "Path of stackgate.yaml (its store)")->required();
  add_purpose(*cmd, *o);
  cmd->footer(kExitFooter);
  cmd->callback([o, &exit_code] { exit_code = run_list(*o); });
}

}  // namespace

void add_keys(CLI::App& root, int& exit_code) {
  CLI::App* keys =
      root.add_subcommand("keys", "Rotate (rotate) or list (list) the gateway's own signing keys");
  keys->require_subcommand(1);
  add_rotate(*keys, exit_code);
  add_list(*keys, exit_code);
}

}  // namespace sg::cli
