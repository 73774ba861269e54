package dev.meshfleet.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;

/**
 * What RBAC objects grant, flattened as Kubernetes' authorizer reads them: one {@link Grant} per
 * (where, API group, resource, verb) a bound rule allows a ServiceAccount.
 */
final class Rbac {
    /** Where a grant holds: a namespace, or "*" for cluster-wide (a ClusterRole bound by a ClusterRoleBinding). */
    record Grant(String scope, String apiGroup, String resource, String verb) implements Comparable<Grant> {
        @Override
        public int compareTo(Grant o) {
            return toString().compareTo(o.toString());
        }

        static Grant of(String scope, String apiGroup, String resource, String verb) {
            return new Grant(scope, apiGroup, resource, verb);
        }
    }

    static final String CLUSTER = "*";

    private Rbac() {
    }

    /** Every grant the objects give the ServiceAccount namespace/name. */
    static Set<Grant> grants(List<HasMetadata> objects, String namespace, String serviceAccount) {
        Set<Grant> out = new TreeSet<>();
        for (HasMetadata o : objects) {
            if (o instanceof ClusterRoleBinding b && bindsTo(b.getSubjects(), namespace, serviceAccount)) {
                out.addAll(flatten(CLUSTER, rulesOf(objects, b.getRoleRef(), null)));
            } else if (o instanceof RoleBinding b && bindsTo(b.getSubjects(), namespace, serviceAccount)) {
                out.addAll(flatten(b.getMetadata().getNamespace(),
                        rulesOf(objects, b.getRoleRef(), b.getMetadata().getNamespace())));
            }
        }
        return out;
    }

    /** Every rule of every Role and ClusterRole, each with the name of its role. */
    static List<String> wildcards(List<HasMetadata> objects) {
        List<String> found = new ArrayList<>();
        for (HasMetadata o : objects) {
            List<PolicyRule> rules = o instanceof Role r ? r.getRules() : o instanceof ClusterRole c ? c.getRules() : null;
            if (rules == null) {
                continue;
            }
            for (PolicyRule rule : rules) {
                for (List<String> field : List.of(nullToEmpty(rule.getApiGroups()), nullToEmpty(rule.getResources()),
                        nullToEmpty(rule.getVerbs()), nullToEmpty(rule.getResourceNames()),
                        nullToEmpty(rule.getNonResourceURLs()))) {
                    field.stream().filter(v -> v.contains("*"))
                            .forEach(v -> found.add(o.getKind() + "/" + o.getMetadata().getName() + ": " + v));
                }
            }
        }
        return found;
    }

    static List<PolicyRule> allRules(List<HasMetadata> objects) {
        List<PolicyRule> rules = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o instanceof Role r) {
                rules.addAll(r.getRules());
            } else if (o instanceof ClusterRole c) {
                rules.addAll(c.getRules());
            }
        }
        return rules;
    }

    private static boolean bindsTo(List<Subject> subjects, String namespace, String name) {
        return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
                && name.equals(s.getName()) && namespace.equals(s.getNamespace()));
    }

    private static List<PolicyRule> rulesOf(List<HasMetadata> objects, RoleRef ref, String bindingNamespace) {
        for (HasMetadata o : objects) {
            if ("ClusterRole".equals(ref.getKind()) && o instanceof ClusterRole c
                    && ref.getName().equals(c.getMetadata().getName())) {
                return c.getRules();
            }
            if ("Role".equals(ref.getKind()) && o instanceof Role r && ref.getName().equals(r.getMetadata().getName())
                    && r.getMetadata().getNamespace().equals(bindingNamespace)) {
                return r.getRules();
            }
        }
        throw new AssertionError("a binding refers to " + ref.getKind() + " " + ref.getName() + ", which is not rendered");
    }

    private static List<Grant> flatten(String scope, List<PolicyRule> rules) {
        List<Grant> out = new ArrayList<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        out.add(Grant.of(scope, group, resource, verb));
                    }
                }
            }
        }
        return out;
    }

    private static List<String> nullToEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}
