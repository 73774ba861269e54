package dev.meshfleet.translator.plan;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * When a string must be quoted so that YAML reads it back as the same string. Jackson's minimal quoting
 * only knows booleans and reserved words: "21" or "1.20" came out plain and were read back as numbers
 * (a label "21" became the number 21, a tag "1.20" the number 1.2). A string stays plain only when a
 * YAML 1.1 reader (SnakeYAML's implicit resolver, what Jackson and Helm's Go YAML follow) resolves the
 * plain scalar to a string and it does not look like a YAML 1.2 core number either (0o17, 0x1F, .inf).
 */
final class RoundTripQuoting extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;
    private static final Resolver RESOLVER = new Resolver();
    /** YAML 1.2 core schema numbers and specials that a 1.1 resolver may read as strings. */
    private static final Pattern CORE_12 = Pattern.compile(
            "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

    static final RoundTripQuoting INSTANCE = new RoundTripQuoting();

    @Override
    public boolean needToQuoteValue(String value) {
        return super.needToQuoteValue(value) || readsAsSomethingElse(value);
    }

    @Override
    public boolean needToQuoteName(String name) {
        return super.needToQuoteName(name) || readsAsSomethingElse(name);
    }

    static boolean readsAsSomethingElse(String plain) {
        return !Tag.STR.equals(RESOLVER.resolve(NodeId.scalar, plain, true)) || CORE_12.matcher(plain).matches();
    }
}
