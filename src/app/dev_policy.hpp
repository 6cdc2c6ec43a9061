// The demonstration policy of `serve --dev`, written into the development data folder so it can be
// read, edited and reloaded like a real one. It matches the demo stacks of config::dev_config()
// and the development issuer ("dev"): every dev token reads everything; group `developers` works
// on its team's dev stacks and needs an approval for prod; group `admins` approves and audits.
// Constant data; thread-safe.
#pragma once

#include <string_view>

namespace sg::app {

inline constexpr std::string_view kDevPolicy =
    R"(# stackgate demo policy (serve --dev). Edit me: the gateway reloads on save.
roles:
  - name: reader
    rules:
      - allow: [read]
        stacks: ["*"]
  - name: developer
    rules:
      - allow: [read, preview, update, refresh, cancel]
        stacks: ["*/dev", "*/staging"]
        when: { tag.team: "{principal.team}" }
      - allow: [preview, update]
        stacks: ["*/prod"]
        when: { tag.team: "{principal.team}" }
        approval: { approvers: [admin], count: 1 }
  - name: admin
    rules:
      - allow: [read, preview, update, refresh, cancel, approve, admin]
        stacks: ["*"]
      - allow: [audit]
        stacks: ["*"]
      - deny: [destroy]
        stacks: ["*/prod"]
bindings:
  - { roles: [reader],    when: { issuer: dev } }
  - { roles: [developer], when: { issuer: dev, groups: developers } }
  - { roles: [admin],     when: { issuer: dev, groups: admins } }
)";

}  // namespace sg::app
