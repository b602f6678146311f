#pragma once
// Authorisation as named policies. Routes name a policy ("org_admin"); the HTTP middleware looks
// it up here once at start-up (an unknown name is a start-up error) and checks it per request.
// Checks that need a loaded resource (a school's district) are functions the use cases call.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/identity/organization.hpp"
#include "core/identity/principal.hpp"

namespace cairn::app::identity {

using PathParams = std::map<std::string, std::string>;
// principal is nullopt for an anonymous request; params are the route's path parameters.
using PolicyCheck =
    std::function<bool(const std::optional<core::identity::Principal>&, const PathParams&)>;

class PolicySet {
 public:
  // Throws std::invalid_argument on a duplicate name: a programming error found at start-up.
  void Add(std::string name, PolicyCheck check);
  const PolicyCheck* Find(std::string_view name) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, PolicyCheck, std::less<>> checks_;
};

// public; authenticated; session (signed in through a browser, not a token); platform_admin;
// issuer_admin and district_admin (in any organisation, or platform admin); org_admin and
// org_member (of the organisation in the {id} path parameter, or platform admin).
PolicySet StandardPolicies();

// Admins of an organisation see its members; a district admin also sees its schools' members.
bool MayViewMembers(const core::identity::Principal& principal,
                    const core::identity::Organization& org);
// Who may invite whom: platform admins anyone that fits; issuer admins educators, reviewers and
// issuer admins into their issuer; district admins educators and district admins into their
// district and its schools (and reviewers, when the district issues).
bool MayInvite(const core::identity::Principal& principal, const core::identity::Organization& org,
               core::identity::Role role);
bool MayCreateOrganization(const core::identity::Principal& principal);

}  // namespace cairn::app::identity
