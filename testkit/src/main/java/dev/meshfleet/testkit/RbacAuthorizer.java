package dev.meshfleet.testkit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;

/**
 * Kubernetes' RBAC authorizer (k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac and
 * pkg/apis/rbac/v1/evaluation_helpers.go) over a fixed set of Roles, ClusterRoles and their bindings:
 * a request is allowed when a rule of a role bound to the user (or one of its groups) matches it;
 * ClusterRoleBindings count in every namespace, RoleBindings (to a Role of their namespace or to a
 * ClusterRole) only in their own. A rule matches when its verbs, API groups and resources (or, for a
 * non-resource request, its non-resource URLs) match, and its resourceNames, when it has any, name the
 * object. {@code system:masters} is allowed everything, as the API server's own authorizer allows it.
 *
 * <p>Kubernetes' default {@code system:discovery} and {@code system:public-info-viewer} ClusterRoles and
 * their bindings to every authenticated user are there from the start, as on a real cluster. Every rule
 * that allowed a request is remembered, so that a test can list those no request used.
 */
public final class RbacAuthorizer {
    /** One rule of one role, by its place: kind/namespace/name and the rule's index. */
    public record RuleRef(String kind, String namespace, String name, int index) {
        @Override
        public String toString() {
            return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name + " rules[" + index + "]";
        }
    }

    /**
     * One verb on one resource (or non-resource URL) of one rule: what a rule grants, spelled out. A rule
     * {@code verbs: [get, list], resources: [secrets]} grants two.
     */
    public record Grant(RuleRef rule, String verb, String apiGroup, String resource) {
        @Override
        public String toString() {
            return rule + ": " + verb + " " + (apiGroup.isEmpty() ? resource : resource + "." + apiGroup);
        }
    }

    /** Allowed by a rule, or denied with the reason Kubernetes gives. */
    public record Decision(boolean allowed, RuleRef rule, String reason) {
    }

    private final List<ClusterRole> clusterRoles = new ArrayList<>();
    private final List<Role> roles = new ArrayList<>();
    private final List<ClusterRoleBinding> clusterRoleBindings = new ArrayList<>();
    private final List<RoleBinding> roleBindings = new ArrayList<>();
    private final Set<RuleRef> used = ConcurrentHashMap.newKeySet();
    private final Set<Grant> usedGrants = ConcurrentHashMap.newKeySet();

    /** @param objects any objects: the Roles, ClusterRoles and bindings among them are the policy */
    public RbacAuthorizer(Collection<? extends HasMetadata> objects) {
        for (HasMetadata o : objects) {
            if (o instanceof ClusterRole c) {
                clusterRoles.add(c);
            } else if (o instanceof Role r) {
                roles.add(r);
            } else if (o instanceof ClusterRoleBinding b) {
                clusterRoleBindings.add(b);
            } else if (o instanceof RoleBinding b) {
                roleBindings.add(b);
            }
        }
        defaults();
    }

    public Decision authorize(UserInfo user, RequestInfo request) {
        if (user.groups().contains(UserInfo.MASTERS)) {
            return new Decision(true, null, "system:masters");
        }
        for (ClusterRoleBinding binding : clusterRoleBindings) {
            if (binds(binding.getSubjects(), user)) {
                Decision d = check(binding.getRoleRef(), "", request);
                if (d != null) {
                    return d;
                }
            }
        }
        if (!request.namespace().isEmpty()) {
            for (RoleBinding binding : roleBindings) {
                if (binding.getMetadata().getNamespace().equals(request.namespace()) && binds(binding.getSubjects(), user)) {
                    Decision d = check(binding.getRoleRef(), request.namespace(), request);
                    if (d != null) {
                        return d;
                    }
                }
            }
        }
        return new Decision(false, null, forbidden(user, request));
    }

    /** Every rule of the given roles' (not the defaults') that allowed no request so far. */
    public List<RuleRef> unusedRules() {
        List<RuleRef> out = new ArrayList<>();
        for (ClusterRole c : clusterRoles) {
            if (!c.getMetadata().getName().startsWith("system:")) {
                for (int i = 0; i < c.getRules().size(); i++) {
                    addIfUnused(out, new RuleRef("ClusterRole", "", c.getMetadata().getName(), i));
                }
            }
        }
        for (Role r : roles) {
            for (int i = 0; i < r.getRules().size(); i++) {
                addIfUnused(out, new RuleRef("Role", r.getMetadata().getNamespace(), r.getMetadata().getName(), i));
            }
        }
        return out;
    }

    /**
     * Every verb on every resource the given roles (not the defaults) grant that no allowed request used so far:
     * finer than {@link #unusedRules()}, for a rule of several verbs of which only some are ever needed. A rule's
     * {@code resourceNames} do not split it further.
     */
    public List<Grant> unusedGrants() {
        List<Grant> out = new ArrayList<>();
        for (ClusterRole c : clusterRoles) {
            if (!c.getMetadata().getName().startsWith("system:")) {
                addUnusedGrants(out, "ClusterRole", "", c.getMetadata().getName(), c.getRules());
            }
        }
        for (Role r : roles) {
            addUnusedGrants(out, "Role", r.getMetadata().getNamespace(), r.getMetadata().getName(), r.getRules());
        }
        return out;
    }

    private void addUnusedGrants(List<Grant> out, String kind, String namespace, String name, List<PolicyRule> rules) {
        for (int i = 0; i < rules.size(); i++) {
            RuleRef ref = new RuleRef(kind, namespace, name, i);
            PolicyRule rule = rules.get(i);
            List<String> groups = empty(rule.getApiGroups()) ? List.of("") : rule.getApiGroups();
            List<String> resources = empty(rule.getResources()) ? nonNull(rule.getNonResourceURLs()) : rule.getResources();
            for (String verb : nonNull(rule.getVerbs())) {
                for (String group : groups) {
                    for (String resource : resources) {
                        Grant grant = new Grant(ref, verb, group, resource);
                        if (!usedGrants.contains(grant)) {
                            out.add(grant);
                        }
                    }
                }
            }
        }
    }

    private static List<String> nonNull(List<String> list) {
        return list == null ? List.of() : list;
    }

    private void addIfUnused(List<RuleRef> out, RuleRef ref) {
        if (!used.contains(ref)) {
            out.add(ref);
        }
    }

    /** The allowing decision of the first matching rule of the referenced role, or null. */
    private Decision check(RoleRef ref, String bindingNamespace, RequestInfo request) {
        List<PolicyRule> rules = null;
        String namespace = "";
        if ("ClusterRole".equals(ref.getKind())) {
            rules = clusterRoles.stream().filter(c -> c.getMetadata().getName().equals(ref.getName())).findFirst()
                    .map(ClusterRole::getRules).orElse(null);
        } else if ("Role".equals(ref.getKind())) {
            namespace = bindingNamespace;
            rules = roles.stream().filter(r -> r.getMetadata().getName().equals(ref.getName())
                    && r.getMetadata().getNamespace().equals(bindingNamespace)).findFirst().map(Role::getRules).orElse(null);
        }
        if (rules == null) {
            return null; // a binding to a role that does not exist grants nothing
        }
        for (int i = 0; i < rules.size(); i++) {
            if (allows(rules.get(i), request)) {
                RuleRef rule = new RuleRef(ref.getKind(), namespace, ref.getName(), i);
                used.add(rule);
                usedGrants.add(grantUsed(rule, rules.get(i), request));
                return new Decision(true, rule, "allowed by " + rule);
            }
        }
        return null;
    }

    /** The grant of the rule that allowed the request, named as the rule names it (a {@code *} stays a {@code *}). */
    private static Grant grantUsed(RuleRef ref, PolicyRule rule, RequestInfo request) {
        String verb = rule.getVerbs().contains(request.verb()) ? request.verb() : "*";
        if (!request.resourceRequest()) {
            String url = nonNull(rule.getNonResourceURLs()).stream()
                    .filter(u -> nonResourceUrlMatches(List.of(u), request.path())).findFirst().orElse(request.path());
            return new Grant(ref, verb, "", url);
        }
        String group = rule.getApiGroups().contains(request.apiGroup()) ? request.apiGroup() : "*";
        String resource = rule.getResources().stream().filter(r -> resourceMatches(List.of(r), request)).findFirst()
                .orElse(request.combinedResource());
        return new Grant(ref, verb, group, resource);
    }

    static boolean allows(PolicyRule rule, RequestInfo request) {
        if (!matches(rule.getVerbs(), request.verb())) {
            return false;
        }
        if (!request.resourceRequest()) {
            return nonResourceUrlMatches(rule.getNonResourceURLs(), request.path());
        }
        return matches(rule.getApiGroups(), request.apiGroup()) && resourceMatches(rule.getResources(), request)
                && (empty(rule.getResourceNames()) || rule.getResourceNames().contains(request.name()));
    }

    private static boolean matches(List<String> allowed, String requested) {
        return allowed != null && (allowed.contains("*") || allowed.contains(requested));
    }

    private static boolean resourceMatches(List<String> ruleResources, RequestInfo request) {
        if (ruleResources == null) {
            return false;
        }
        for (String r : ruleResources) {
            if (r.equals("*") || r.equals(request.combinedResource())
                    || !request.subresource().isEmpty() && r.equals("*/" + request.subresource())) {
                return true;
            }
        }
        return false;
    }

    private static boolean nonResourceUrlMatches(List<String> urls, String path) {
        if (urls == null) {
            return false;
        }
        for (String url : urls) {
            if (url.equals("*") || url.equals(path) || url.endsWith("*") && path.startsWith(url.substring(0, url.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean binds(List<Subject> subjects, UserInfo user) {
        if (subjects == null) {
            return false;
        }
        for (Subject s : subjects) {
            boolean match = switch (s.getKind()) {
                case "User" -> s.getName().equals(user.username());
                case "Group" -> user.groups().contains(s.getName());
                case "ServiceAccount" -> s.getNamespace() != null
                        && ("system:serviceaccount:" + s.getNamespace() + ":" + s.getName()).equals(user.username());
                default -> false;
            };
            if (match) {
                return true;
            }
        }
        return false;
    }

    /** Kubernetes' message for a denied request. */
    static String forbidden(UserInfo user, RequestInfo request) {
        if (!request.resourceRequest()) {
            return "forbidden: User \"" + user.username() + "\" cannot " + request.verb() + " path \"" + request.path() + "\"";
        }
        String object = request.apiGroup().isEmpty() ? request.resource() : request.resource() + "." + request.apiGroup();
        String what = request.name().isEmpty() ? object + " is forbidden" : object + " \"" + request.name() + "\" is forbidden";
        String where = request.namespace().isEmpty() ? " at the cluster scope" : " in the namespace \"" + request.namespace() + "\"";
        String resource = request.subresource().isEmpty() ? "resource \"" + request.resource() + "\""
                : "resource \"" + request.resource() + "/" + request.subresource() + "\"";
        return what + ": User \"" + user.username() + "\" cannot " + request.verb() + " " + resource + " in API group \""
                + request.apiGroup() + "\"" + where;
    }

    private static boolean empty(List<String> list) {
        return list == null || list.isEmpty();
    }

    /** Kubernetes' bootstrap policy that every authenticated client relies on: discovery and /version. */
    private void defaults() {
        clusterRoles.add(new ClusterRoleBuilder().withNewMetadata().withName("system:discovery").endMetadata()
                .addNewRule().withNonResourceURLs("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez",
                        "/openapi", "/openapi/*", "/readyz", "/version", "/version/").withVerbs("get").endRule().build());
        clusterRoles.add(new ClusterRoleBuilder().withNewMetadata().withName("system:public-info-viewer").endMetadata()
                .addNewRule().withNonResourceURLs("/healthz", "/livez", "/readyz", "/version", "/version/")
                .withVerbs("get").endRule().build());
        // Discovery for authenticated users only (since Kubernetes 1.14); /version and health also for anonymous ones.
        clusterRoleBindings.add(defaultBinding("system:discovery", UserInfo.AUTHENTICATED));
        clusterRoleBindings.add(defaultBinding("system:public-info-viewer", UserInfo.AUTHENTICATED, UserInfo.UNAUTHENTICATED));
    }

    private static ClusterRoleBinding defaultBinding(String role, String... groups) {
        ClusterRoleBindingBuilder b = new ClusterRoleBindingBuilder().withNewMetadata().withName(role).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role);
        for (String group : groups) {
            b.addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName(group).endSubject();
        }
        return b.build();
    }
}
