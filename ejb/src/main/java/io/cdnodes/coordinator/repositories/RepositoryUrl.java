package io.cdnodes.coordinator.repositories;

import io.cdnodes.coordinator.fetchpolicy.FetchPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository a submission names, parsed and checked. GitHub URLs ({@code http(s)://github.com/owner/repo},
 * with or without {@code .git}, a trailing '/' or {@code /tree/<ref>}) are downloaded through the GitHub API;
 * every other git URL ({@code https://}, {@code http://}, {@code ssh://}, {@code file://}, scp-like
 * {@code user@host:path}) is cloned.
 *
 * <p>Credentials in an http(s) URL, a query or a fragment are refused: a token travels as {@code auth_token},
 * so that a URL can be stored and shown as it is.
 *
 * @param kind  how it is fetched
 * @param url   the URL to fetch (GitHub URLs in their canonical form), safe to show
 * @param owner the GitHub owner, or the path segment (or host) before the repository's name
 * @param name  the repository's name, without {@code .git}
 * @param ref   the branch, tag or commit of a GitHub {@code /tree/<ref>} URL; null for the default branch
 */
public record RepositoryUrl(Kind kind, String url, String owner, String name, String ref) {

    /** How a repository is fetched. */
    public enum Kind { GITHUB, GIT }

    static final int MAX_CHARS = 2048;

    private static final Pattern SCP = Pattern.compile("([A-Za-z0-9._~-]+)@([A-Za-z0-9.-]+):([^:].*)");
    private static final Pattern GITHUB_OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})");
    private static final Pattern GITHUB_REPO = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final String FORMS = "use https://github.com/OWNER/REPO, an https://, http://, ssh:// or file:// "
            + "git URL, or user@host:path";

    /** "owner/repo", as GitHub names a repository. */
    public String slug() {
        return owner + "/" + name;
    }

    /** Whether cloning it goes over ssh. */
    public boolean ssh() {
        return kind == Kind.GIT && !url.contains("://") || url.regionMatches(true, 0, "ssh://", 0, 6);
    }

    /** Whether it is fetched over http(s), where a token can be offered. */
    public boolean http() {
        return url.regionMatches(true, 0, "http://", 0, 7) || url.regionMatches(true, 0, "https://", 0, 8);
    }

    /** Whether it names a repository on the coordinator's own disk. */
    public boolean file() {
        return url.regionMatches(true, 0, "file:", 0, 5);
    }

    /** The path a {@code file://} URL names. */
    public java.nio.file.Path filePath() {
        if (!file()) {
            throw new IllegalStateException(url + " is not a file:// URL");
        }
        return java.nio.file.Path.of(URI.create(url).getPath());
    }

    /**
     * The host a clone connects to, as the URL writes it (an IPv6 address in brackets); null for
     * {@code file://}. GitHub URLs are fetched through the API root instead.
     */
    public String host() {
        if (file()) {
            return null;
        }
        if (kind == Kind.GITHUB) {
            return "github.com";
        }
        Matcher scp = SCP.matcher(url);
        if (!url.contains("://") && scp.matches()) {
            return scp.group(2);
        }
        return URI.create(url).getHost();
    }

    /** The port a clone connects to: the URL's, or its scheme's default (https 443, http 80, ssh 22). */
    public int port() {
        if (kind == Kind.GITHUB) {
            return 443;
        }
        if (!url.contains("://")) {
            return 22; // user@host:path
        }
        return FetchPolicy.port(URI.create(url));
    }

    /**
     * @throws IllegalArgumentException with a message for the submitter when the text is not an accepted URL
     */
    public static RepositoryUrl parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("a project URL is empty");
        }
        if (t.length() > MAX_CHARS) {
            throw new IllegalArgumentException("a project URL is longer than " + MAX_CHARS + " characters");
        }
        if (t.chars().anyMatch(c -> c <= 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException("the project URL '" + printable(shown(t)) + "' holds spaces or control characters");
        }
        Matcher scp = SCP.matcher(t);
        if (!t.contains("://") && scp.matches()) {
            return git(t, scp.group(2), scp.group(3));
        }
        URI uri;
        try {
            uri = new URI(t);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + shown(t) + "' is not a URL (" + e.getReason() + "); " + FORMS);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!List.of("http", "https", "ssh", "file").contains(scheme) || uri.isOpaque()) {
            throw new IllegalArgumentException("'" + shown(t) + "' is not a repository URL; " + FORMS);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the project URL '" + shown(t) + "' has a query or fragment, "
                    + "which is not accepted");
        }
        return switch (scheme) {
            case "file" -> file(t, uri);
            case "ssh" -> ssh(t, uri);
            default -> http(t, uri);
        };
    }

    private static RepositoryUrl http(String t, URI uri) {
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the project URL for host " + uri.getHost() + " carries credentials, "
                    + "which are not accepted: send the token as auth_token");
        }
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("the project URL '" + shown(t) + "' has no host");
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("github.com") || h.equals("www.github.com")) {
            return github(t, uri.getRawPath());
        }
        return git(t, host, uri.getRawPath());
    }

    private static RepositoryUrl github(String t, String path) {
        List<String> segments = segments(path == null ? "" : path);
        if (segments.size() < 2 || segments.size() == 3 || segments.size() > 2 && !segments.get(2).equals("tree")) {
            throw new IllegalArgumentException("'" + shown(t) + "' is not a GitHub repository URL; use "
                    + "https://github.com/OWNER/REPO (optionally /tree/BRANCH)");
        }
        String owner = segments.get(0);
        String repo = stripGit(segments.get(1));
        if (!GITHUB_OWNER.matcher(owner).matches() || !GITHUB_REPO.matcher(repo).matches()
                || repo.equals(".") || repo.equals("..")) {
            throw new IllegalArgumentException("'" + shown(t) + "' does not name a GitHub repository (OWNER/REPO)");
        }
        String ref = segments.size() > 3 ? String.join("/", segments.subList(3, segments.size())) : null;
        if (ref != null && (ref.contains("..") || ref.contains("%"))) {
            throw new IllegalArgumentException("'" + shown(t) + "' names a branch GitHub would not accept");
        }
        String canonical = "https://github.com/" + owner + "/" + repo + (ref == null ? "" : "/tree/" + ref);
        return new RepositoryUrl(Kind.GITHUB, canonical, owner, repo, ref);
    }

    private static RepositoryUrl ssh(String t, URI uri) {
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the project URL '" + shown(t) + "' has no host");
        }
        if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
            throw new IllegalArgumentException("the ssh URL for host " + uri.getHost() + " carries a password, "
                    + "which is not accepted");
        }
        return git(t, uri.getHost(), uri.getRawPath());
    }

    private static RepositoryUrl file(String t, URI uri) {
        String host = uri.getHost() == null ? uri.getRawAuthority() : uri.getHost();
        if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
            throw new IllegalArgumentException("the file URL '" + shown(t) + "' names host " + host
                    + "; only this machine's files (file:///path) can be read");
        }
        return git(t, "localhost", uri.getRawPath());
    }

    private static RepositoryUrl git(String t, String host, String path) {
        List<String> segments = segments(path == null ? "" : path);
        if (segments.isEmpty() || stripGit(segments.get(segments.size() - 1)).isEmpty()) {
            throw new IllegalArgumentException("the project URL '" + shown(t) + "' names no repository path");
        }
        String name = stripGit(segments.get(segments.size() - 1));
        String owner = segments.size() > 1 ? segments.get(segments.size() - 2) : host;
        return new RepositoryUrl(Kind.GIT, t, owner, name, null);
    }

    /** The path's segments; empty ones at the ends are dropped ("/o/r/" is o, r), but not inside. */
    private static List<String> segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(Arrays.asList(p.split("/", -1)));
        if (out.contains("")) {
            throw new IllegalArgumentException("the project URL path '" + path + "' has an empty segment");
        }
        return out;
    }

    private static String stripGit(String segment) {
        return segment.toLowerCase(Locale.ROOT).endsWith(".git") ? segment.substring(0, segment.length() - 4) : segment;
    }

    /**
     * The text as an error message may show it: without what may hold a secret (credentials, the query and
     * the fragment), and bounded.
     */
    static String shown(String t) {
        int q = t.indexOf('?');
        int f = t.indexOf('#');
        int cut = q < 0 ? f : f < 0 ? q : Math.min(q, f);
        String s = (cut < 0 ? t : t.substring(0, cut) + "…").replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/]*@", "$1***@");
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static String printable(String t) {
        StringBuilder sb = new StringBuilder();
        t.codePoints().limit(200).forEach(c -> sb.append(c <= 0x20 || c == 0x7F ? "\\u" + String.format("%04x", c)
                : new String(Character.toChars(c))));
        return sb.toString();
    }
}
