package dev.byoe.logs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Drain log parser (He, Zhu, Zheng and Lyu, ICWS 2017), as in the LogPAI benchmark code: a
 * fixed-depth prefix tree whose first layer is the token count and whose next {@code depth - 2}
 * layers are the leading tokens (a token with a digit, or one beyond {@code maxChildren} siblings,
 * goes under {@code <*>}); a leaf holds clusters, and a line joins the most similar one (share of
 * equal non-wildcard tokens, ties to the cluster with more wildcards) if the similarity reaches
 * {@code st}, turning differing positions into {@code <*>}.
 *
 * <p>{@link #learn} grows the tree; {@link #match} only looks, so a trained parser labels new lines
 * deterministically and answers {@link #UNKNOWN} for a line no cluster accepts. Not thread-safe
 * while learning; {@link #match} may run concurrently once learning is over.
 */
public final class Drain {
    public static final String WILDCARD = "<*>";
    public static final int UNKNOWN = 0;

    /** Parameters of the parser, named as in LogHub's benchmark settings. */
    public record Settings(int depth, double st, int maxChildren, List<String> masks)
            implements java.io.Serializable {
        public Settings {
            if (depth < 3) {
                throw new IllegalArgumentException(
                        "depth must be at least 3 (root and length layers count), got " + depth);
            }
            if (!(st >= 0 && st <= 1)) {
                throw new IllegalArgumentException("st must be in [0, 1], got " + st);
            }
            if (maxChildren < 2) {
                throw new IllegalArgumentException(
                        "max_children must be at least 2, got " + maxChildren);
            }
            masks = List.copyOf(masks);
        }

        public static Settings defaults() {
            return new Settings(4, 0.4, 100, List.of());
        }
    }

    /**
     * A group of lines sharing a template; {@code id} is 1-based in creation order. Serializable,
     * so that the Spark job's partitions send theirs to the driver.
     */
    public static final class Cluster implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        final int id;
        String[] template;
        long size;

        Cluster(int id, String[] template) {
            this.id = id;
            this.template = template;
        }

        public int id() {
            return id;
        }

        public String template() {
            return String.join(" ", template);
        }

        /** The template's tokens ({@link #WILDCARD} where lines differ); a copy. */
        public String[] tokens() {
            return template.clone();
        }

        public long size() {
            return size;
        }
    }

    static final class Node {
        final Map<String, Node> children = new HashMap<>();
        final List<Cluster> clusters = new ArrayList<>();
    }

    private static final int TOKEN_CACHE_LIMIT = 1 << 16;

    private final Settings settings;
    private final Pattern[] masks;

    /** Every mask stays inside one token, so tokens can be masked one by one (and remembered). */
    private final boolean tokenMasks;

    private final ThreadLocal<Map<String, String>> maskedTokens =
            ThreadLocal.withInitial(HashMap::new);
    private final int tokenLayers;
    final Map<Integer, Node> byLength = new HashMap<>();
    final List<Cluster> clusters = new ArrayList<>();

    public Drain(Settings settings) {
        this.settings = settings;
        this.masks = settings.masks().stream().map(Pattern::compile).toArray(Pattern[]::new);
        this.tokenMasks = settings.masks().stream().allMatch(Drain::staysInToken);
        this.tokenLayers = settings.depth() - 2;
    }

    public Settings settings() {
        return settings;
    }

    public List<Cluster> clusters() {
        return clusters;
    }

    /**
     * Content to tokens: every mask match becomes {@code <*>}, then split on white space.
     * Thread-safe.
     */
    public String[] tokens(String content) {
        if (tokenMasks) {
            String[] tokens = split(content);
            if (masks.length > 0) {
                Map<String, String> cache = maskedTokens.get();
                for (int i = 0; i < tokens.length; i++) {
                    String masked = cache.get(tokens[i]);
                    if (masked == null) {
                        masked = mask(tokens[i]);
                        if (cache.size() >= TOKEN_CACHE_LIMIT) {
                            cache.clear();
                        }
                        cache.put(tokens[i], masked);
                    }
                    tokens[i] = masked;
                }
            }
            return tokens;
        }
        return split(mask(content));
    }

    private String mask(String text) {
        String s = text;
        for (Pattern mask : masks) {
            Matcher m = mask.matcher(s);
            if (m.find()) {
                s = m.replaceAll(WILDCARD);
            }
        }
        return s;
    }

    /**
     * True when no match of {@code regex} can contain white space or depend on text outside its
     * token: no '.', no negated class, no anchors, lookarounds or back references, and only escapes
     * for digits, word characters, word boundaries and punctuation. Masking such patterns token by
     * token gives what masking the whole line gives, because the replacement {@code <*>} has no
     * white space either. Anything else is masked on the whole line.
     */
    static boolean staysInToken(String regex) {
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                if (i + 1 >= regex.length()) {
                    return false;
                }
                char e = regex.charAt(++i);
                boolean ok =
                        e == 'd'
                                || e == 'w'
                                || (!inClass && (e == 'b' || e == 'B'))
                                || (!Character.isLetterOrDigit(e) && !Character.isWhitespace(e));
                if (!ok) {
                    return false;
                }
            } else if (Character.isWhitespace(c)) {
                return false;
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                } else if (c == '[') {
                    return false;
                }
            } else if (c == '[') {
                if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
                    return false;
                }
                inClass = true;
            } else if (c == '.' || c == '^' || c == '$') {
                return false;
            } else if (c == '('
                    && i + 1 < regex.length()
                    && regex.charAt(i + 1) == '?'
                    && !(i + 2 < regex.length() && regex.charAt(i + 2) == ':')) {
                return false;
            }
        }
        // A pattern that matches "" would put <*> between tokens on a whole line.
        return !inClass && !Pattern.compile(regex).matcher("").find();
    }

    static String[] split(String s) {
        List<String> out = new ArrayList<>(16);
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out.toArray(new String[0]);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || c == '\u00A0';
    }

    /** Assigns the line to a cluster, creating or generalising one; returns the cluster's id. */
    public int learn(String[] tokens) {
        return learn(tokens, 1);
    }

    /**
     * Learns {@code lines} lines at once that all have these tokens, or a template of another
     * parser that stands for that many lines (wildcards and all); returns the cluster's id.
     */
    public int learn(String[] tokens, long lines) {
        Cluster c = search(tokens);
        if (c == null) {
            c = new Cluster(clusters.size() + 1, tokens.clone());
            clusters.add(c);
            insert(c);
        } else {
            String[] t = c.template;
            for (int i = 0; i < t.length; i++) {
                if (!t[i].equals(tokens[i]) && !t[i].equals(WILDCARD)) {
                    t[i] = WILDCARD;
                }
            }
        }
        c.size += lines;
        return c.id;
    }

    /**
     * Merges another parser's clusters into this one: learns their templates in the order given,
     * each standing for the lines it took (the Spark job's partitions, the hosts of a sharded
     * processing job, in input order). Returns, by the other parser's cluster id, the cluster here
     * that each went into.
     */
    public int[] merge(List<Cluster> others) {
        int[] into = new int[others.stream().mapToInt(Cluster::id).max().orElse(0) + 1];
        for (Cluster c : others) {
            into[c.id()] = learn(c.tokens(), c.size());
        }
        return into;
    }

    /**
     * The id of the cluster the line belongs to, without changing anything; {@link #UNKNOWN} if
     * none.
     */
    public int match(String[] tokens) {
        Cluster c = search(tokens);
        return c == null ? UNKNOWN : c.id;
    }

    private Cluster search(String[] tokens) {
        Node node = byLength.get(tokens.length);
        if (node == null) {
            return null;
        }
        int depth = 1;
        for (String token : tokens) {
            if (depth >= tokenLayers || depth > tokens.length) {
                break;
            }
            Node next = node.children.get(token);
            if (next == null) {
                next = node.children.get(WILDCARD);
                if (next == null) {
                    return null;
                }
            }
            node = next;
            depth++;
        }
        return closest(node.clusters, tokens);
    }

    private Cluster closest(List<Cluster> candidates, String[] tokens) {
        Cluster best = null;
        double bestSim = -1;
        int bestWildcards = -1;
        for (Cluster c : candidates) {
            int same = 0;
            int wildcards = 0;
            String[] t = c.template;
            for (int i = 0; i < t.length; i++) {
                if (t[i].equals(WILDCARD)) {
                    wildcards++;
                } else if (t[i].equals(tokens[i])) {
                    same++;
                }
            }
            double sim = t.length == 0 ? 1.0 : (double) same / t.length;
            if (sim > bestSim || (sim == bestSim && wildcards > bestWildcards)) {
                best = c;
                bestSim = sim;
                bestWildcards = wildcards;
            }
        }
        return best != null && bestSim >= settings.st() ? best : null;
    }

    private void insert(Cluster c) {
        String[] t = c.template;
        Node node = byLength.computeIfAbsent(t.length, k -> new Node());
        int depth = 1;
        for (String token : t) {
            if (depth >= tokenLayers || depth > t.length) {
                break;
            }
            Node next = node.children.get(token);
            if (next == null) {
                next = child(node, token);
            }
            node = next;
            depth++;
        }
        node.clusters.add(c);
    }

    /** The node a new token goes to: its own while there is room, else {@code <*>}. */
    private Node child(Node node, String token) {
        Map<String, Node> children = node.children;
        Node wildcard = children.get(WILDCARD);
        if (hasDigit(token)) {
            return wildcard != null ? wildcard : put(children, WILDCARD);
        }
        if (wildcard != null) {
            return children.size() < settings.maxChildren() ? put(children, token) : wildcard;
        }
        if (children.size() + 1 < settings.maxChildren()) {
            return put(children, token);
        }
        // The last free place is kept for <*>.
        return children.size() + 1 == settings.maxChildren() ? put(children, WILDCARD) : wildcard;
    }

    private static Node put(Map<String, Node> children, String token) {
        Node n = new Node();
        children.put(token, n);
        return n;
    }

    private static boolean hasDigit(String token) {
        for (int i = 0; i < token.length(); i++) {
            if (Character.isDigit(token.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
