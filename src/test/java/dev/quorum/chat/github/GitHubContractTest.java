package dev.quorum.chat.github;

import dev.quorum.conversation.ChatAdapterContract;
import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.ReplyFitter;
import dev.quorum.github.FakeGitHub;
import dev.quorum.github.GitHubDeliveries;
import dev.quorum.testing.QuorumHarness;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chat adapter contract, played in a pull request's comments on {@link FakeGitHub}: members comment
 * {@code /quorum <command>} on pull request {@code #n} of {@code acme/app} (repo {@code app}, served by the fake's git
 * server), a click is commenting the button's command (GitHub has no buttons), and what Quorum said is read back from
 * the comments it posted and the edits it made. A whisper is a comment addressed to the member ({@code @login} first):
 * GitHub has no private replies. A place is {@code app#<n>}.
 */
class GitHubContractTest extends ChatAdapterContract {
    private static final Pattern COMMENTS = Pattern.compile("repos/acme/app/issues/(\\d+)/comments");
    private static final Pattern EDIT = Pattern.compile("repos/acme/app/issues/comments/(\\d+)");
    private static final Pattern COMMAND = Pattern.compile("`/quorum ([^`]+)`");
    private static final Pattern ADDRESSED = Pattern.compile("^@([A-Za-z0-9-]+) ");
    private FakeGitHub github;
    private FakeGitHub.Repo app;
    private int pr;

    @Override
    protected Map<String, String> startPlatform() throws Exception {
        github = FakeGitHub.withGit(dir.resolve("github"));
        github.acceptToken(PullRequestWorld.TOKEN);
        app = github.adoptRepo("acme", "app", dir.resolve("app/.git")); // the contract's repository, served as GitHub's
        pr = app.openPull("feature", "main", "dave");
        return Map.of();
    }

    @Override
    protected String repoLocation(Path repoDir) {
        return "github: {owner: acme, repo: app}";
    }

    @Override
    protected String moreConfig() {
        try {
            Path secret = Files.writeString(dir.resolve("webhook-secret"), PullRequestWorld.SECRET);
            Path token = Files.writeString(dir.resolve("token"), PullRequestWorld.TOKEN);
            return "github: {api_url: \"" + github.apiUrl() + "\", webhook_secret: \"file:" + secret + "\", token: \"file:" + token + "\"}\n";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected void connected(QuorumHarness quorum) {
        github.webhook(quorum.url("/github/webhook"), PullRequestWorld.SECRET);
    }

    @Override
    protected void stopPlatform() throws Exception {
        if (github != null) github.close();
    }

    @Override
    protected String identity(String member) {
        return "github:" + member;
    }

    @Override
    protected String say(String member, String command) {
        app.comment(pr, member, "/quorum " + command);
        return place(pr);
    }

    @Override
    protected void click(String member, Seen card, String command) {
        say(member, command);
    }

    /** One comment delivered twice under the same {@code X-GitHub-Delivery}, as GitHub's redelivery does. */
    @Override
    protected String sayTwice(String member, String command) throws Exception {
        byte[] body = GitHubDeliveries.comment("acme/app", pr, member, "/quorum " + command).encode().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = GitHubDeliveries.headers(PullRequestWorld.SECRET, "issue_comment", GitHubDeliveries.newDelivery(), body);
        for (int i = 0; i < 2; i++) GitHubDeliveries.post(q.http(), q.url("/github/webhook"), headers, body);
        return place(pr);
    }

    @Override
    protected void sayAsBot(String command) {
        app.comment(pr, "other-app[bot]", "/quorum " + command);
    }

    /** Quorum's comments (posted in order, the n-th post being its n-th comment) and its edits, in the order it made them. */
    @Override
    protected List<Seen> seen() {
        List<FakeGitHub.Call> calls = github.calls(); // before the comments: a call is recorded before its comment is stored
        List<JsonObject> own = app.comments(pr).stream()
                .filter(c -> PullRequestWorld.QUORUM.equals(c.getJsonObject("user").getString("login"))).toList();
        List<Seen> out = new ArrayList<>();
        Map<Integer, Integer> posted = new HashMap<>();
        for (FakeGitHub.Call call : calls) {
            Matcher post = COMMENTS.matcher(call.path());
            Matcher edit = EDIT.matcher(call.path());
            if (call.method().equals("POST") && post.matches()) {
                int n = Integer.parseInt(post.group(1));
                int index = posted.merge(n, 1, Integer::sum) - 1;
                if (n == pr && index >= own.size()) break; // still being stored: seen once it has its id, as Quorum sees it
                String id = n == pr ? String.valueOf(own.get(index).getLong("id")) : "?";
                out.add(seen(call.body().getString("body"), id, place(n), false));
            } else if (call.method().equals("PATCH") && edit.matches()) {
                out.add(seen(call.body().getString("body"), edit.group(1), place(pr), true));
            }
        }
        return out;
    }

    private static Seen seen(String body, String id, String place, boolean edited) {
        Matcher to = ADDRESSED.matcher(body);
        boolean whisper = !edited && to.find();
        String text = whisper ? body.substring(to.end()) : body;
        List<String> buttons = new ArrayList<>();
        for (Matcher m = COMMAND.matcher(body); m.find(); ) buttons.add(m.group(1));
        return new Seen(edited ? How.EDITED : whisper ? How.WHISPERED : How.POSTED, id, place, whisper ? "github:" + to.group(1) : null,
                List.of(text.strip()), body, buttons);
    }

    private static String place(int number) {
        return "app#" + number;
    }

    @Override
    protected Conversation conversation(String place) {
        return Conversation.pullRequest("app", Integer.parseInt(place.substring(place.indexOf('#') + 1)));
    }

    @Override
    protected ReplyFitter.Limits limits() {
        return CommentRenderer.LIMITS;
    }
}
