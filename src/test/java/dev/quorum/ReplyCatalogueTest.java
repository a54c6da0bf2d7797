package dev.quorum;

import dev.quorum.conversation.Conversation;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.IncomingMessage;
import dev.quorum.conversation.Reply;
import dev.quorum.command.ParseResult;
import dev.quorum.testing.FakeWebhook;
import dev.quorum.testing.QuorumHarness;
import dev.quorum.testing.RecordingAdapter;
import dev.quorum.testing.RecordingAdapter.Said;
import dev.quorum.testing.Suites;
import dev.quorum.testing.TestClock;
import dev.quorum.testing.TestRedis;
import dev.quorum.testing.TestRepo;
import org.eclipse.jgit.api.ResetCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every reply Quorum produces, in one place: a real Quorum (real Redis, real git, test scripts
 * run in the sandbox) is driven through each situation a team meets (every command's success
 * and refusal, usage errors and typos, votes and their outcomes, cards in every state,
 * progress and evidence lines, agents without a model, the freeze), and everything it says is
 * collected into {@code target/reply-catalogue.md} for a human to read. Each reply is checked
 * for what must never reach a person: an identity where a name exists, an epoch number, an
 * ANSI escape, a stack trace or exception class, {@code null}. The replies issue 10 fixed are
 * asserted word for word.
 */
class ReplyCatalogueTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Conversation OPS = new Conversation("team", "C-ops", null);
    private static final Conversation RANDOM = new Conversation("team", "C-random", null);
    private static final Pattern IDENTITY = Pattern.compile("\\b(console|slack|team):[A-Za-z0-9]");
    private static final Pattern EPOCH = Pattern.compile("(?<![\\w.])1[5-9]\\d{8}(\\d{3})?(?![\\w.])");
    private static final Pattern ANSI = Pattern.compile("\u001B");
    private static final Pattern TRACE = Pattern.compile(
            "\\b[A-Z]\\w*(Exception|Error)\\b|\\n\\s*at [\\w.$]+\\(|\\b(java|javax|org|com|dev)\\.[a-z]+\\.[\\w.]*[A-Z]");
    private static final Pattern NULL = Pattern.compile("\\bnull\\b");
    private static final Pattern CARD = Pattern.compile("^R\\d+ · (merge|deploy) `");
    /** Who says what: the console members of the config, and two people on another platform. */
    private static final Map<String, Identity> PEOPLE = Map.of(
            "bob on Slack", new Identity("slack", "UBOB"), "Frank on Slack", new Identity("slack", "UFRANK"));

    /** One situation: what was said, and everything Quorum said while it played out. */
    private record Entry(String situation, String who, String text, List<Said> replies) {}

    @TempDir
    Path dir;
    private TestRepo app;
    private TestRepo hang;
    private FakeWebhook webhook;
    private TestClock clock;
    private QuorumHarness q;
    private final RecordingAdapter team = new RecordingAdapter("team");
    private final List<Entry> catalogue = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        TestRedis.flush();
        webhook = new FakeWebhook();
        app = TestRepo.init(dir.resolve("app"));
        String main = app.commit("app with tests", Map.of(Suites.SCRIPT, Suites.passing(2),
                "deploy.sh", "#!/bin/sh\necho \"deploying $QUORUM_SHA to $QUORUM_ENV\"\n", "README.md", "app\n"));
        branch("feature", Map.of(Suites.SCRIPT, Suites.passing(3), "greeting.txt", "hello\n"), main);
        branch("other", Map.of("other.txt", "other\n"), main);
        branch("infra", Map.of("infra/main.tf", "resource {}\n"), main);
        branch("broken", Map.of(Suites.SCRIPT, Suites.failing("greets")), main);
        branch("slow", Map.of(Suites.SCRIPT, Suites.slowPassing(60)), main);
        hang = TestRepo.init(dir.resolve("hang"));
        hang.commit("a suite that never ends", Map.of(Suites.SCRIPT, Suites.hanging()));
        clock = TestClock.startingNow();
        q = QuorumHarness.start(dir.resolve("data"), """
                console: {demo: true, users: {alice: {}, bob: {}, carol: {}, dave: {}, erin: {}, frank: {}}}
                people: {bob: [console:bob, slack:UBOB]}
                groups:
                  engineers: [console:alice, console:bob, console:carol, console:dave]
                  oncall: [console:dave]
                  sre: [console:erin]
                default_repo: app
                repos:
                  app: {path: %s, test_command: "%s", reports: ["%s"], test_timeout: 30s}
                  hang: {path: %s, test_command: "%s", reports: ["%s"], test_timeout: 2s}
                environments:
                  staging: {repo: app, command: sh deploy.sh, timeout: 20s}
                  production: {repo: app, webhook: {url: "%s", secret: webhook-secret-0123456789, retries: 0, backoff: 50ms}}
                policies:
                  merge:
                    approvals: 2
                    eligible: [engineers]
                    ttl: 1h
                    paths: [{match: "infra/**", require: [{group: sre, count: 1}]}]
                  deploy.staging: {approvals: 1, eligible: [engineers]}
                  deploy.production: {approvals: 2, eligible: [engineers, oncall], require: [{group: oncall, count: 1}], ttl: 2h}
                """.formatted(app.dir(), Suites.COMMAND, Suites.REPORTS, hang.dir(), Suites.COMMAND, Suites.REPORTS, webhook.url()),
                Map.of(), clock);
        q.quorum().messenger().register(team);
    }

    private void branch(String name, Map<String, String> files, String from) throws Exception {
        app.git().checkout().setCreateBranch(true).setName(name).setStartPoint(from).call();
        app.commit(name, files);
        app.git().checkout().setName("main").call();
    }

    /** A push to {@code branch}; the working tree follows main first, which Quorum's merges moved under it. */
    private void pushTo(String branch, Map<String, String> files) throws Exception {
        app.git().reset().setMode(ResetCommand.ResetType.HARD).setRef("main").call();
        app.git().checkout().setName(branch).call();
        app.commit("pushed after the approval", files);
        app.git().checkout().setName("main").call();
    }

    @AfterEach
    void tearDown() throws Exception {
        writeCatalogue();
        q.close();
        app.close();
        hang.close();
        webhook.close();
    }

    @Test
    void everyReplyReadsLikeAProductAndEveryCardTellsItsState() throws Exception {
        helpAndPolicies();
        typosAndUsage();
        testsAndEvidence();
        agentsWithoutAModel();
        merges();
        endStatesOfMerges();
        deploys();
        theFreeze();
        Step status = say("status with counts", "alice", "status");
        assertThat(only(status).fields()).extracting(Reply.Field::label).containsExactly("all requests");
        assertThat(only(status).fields().getFirst().value()).matches("\\d+ so far: \\d+ [a-z ]+(, \\d+ [a-z ]+)*");

        assertThat(catalogue.stream().flatMap(e -> e.replies().stream())).as("replies").hasSizeGreaterThan(150);
        for (Entry e : catalogue) {
            for (Said s : e.replies()) readsLikeAProduct(e, s);
        }
        everyCardsButtonsMatchItsState();
    }

    private void helpAndPolicies() throws Exception {
        say("help", "alice", "help");
        say("help on one command", "alice", "help merge");
        say("the policies", "alice", "policy");
        say("the merge policy", "alice", "policy merge");
        exactly(say("the deploy policies, one per environment", "alice", "policy deploy"),
                "Each environment has its own deploy policy (from Quorum's config, never from a branch):");
        assertThat(catalogue.getLast().replies().getFirst().reply().fields()).extracting(Reply.Field::label)
                .containsExactly("deploy.production", "deploy.staging");
        say("one environment's policy", "alice", "policy deploy production");
        exactly(say("a typo of an environment's policy", "alice", "policy deploy stagin"),
                "There is no environment `stagin`. Did you mean `staging`? Environments: production, staging.");
    }

    private void typosAndUsage() throws Exception {
        exactly(say("a typo of a command", "alice", "tset"), "I don't know the command `tset`. Did you mean `test`?\nUsage: `test [<repo>] [<ref>]`");
        exactly(say("a typo of a command with arguments", "alice", "aprove R1"), "I don't know the command `aprove`. Did you mean `approve`?\nUsage: `approve <id>`");
        exactly(say("a word that is no command", "alice", "frobnicate"), "I don't know the command `frobnicate`. Try `help`.");
        say("quoted text", "alice", "> approve R1");
        say("a message too long", "alice", "x".repeat(4001));
        for (String bad : List.of("research", "code --budget lots fix it", "code", "test a b c", "test app main;id", "test nope main",
                "merge", "merge feature onto main", "merge feature into", "deploy", "deploy Staging!", "deploy staging a b", "approve",
                "approve 12", "reject", "reject x", "status everything", "history everything", "history last 99", "cancel",
                "rerun R1 R2", "unfreeze now", "help fly", "help mrege", "policy launch rockets", "incident", "incident R1", "digest year")) {
            Step e = say("usage: " + bad, "alice", bad);
            assertThat(only(e).text()).as(bad).contains("\nUsage: `");
            assertThat(only(e).tone()).isEqualTo(Reply.Tone.ERROR);
        }
    }

    private void testsAndEvidence() throws Exception {
        String passed = say("tests of the default branch", "alice", "test", "passed: 2 passed").opened();
        exactly(say("a word that is neither a repo nor a ref", "alice", "test nosuchrepo"),
                "`nosuchrepo` is neither a repo nor a branch, tag or commit of app. Repos: app, hang.");
        exactly(say("a typo of a repo", "alice", "test hnag"),
                "`hnag` is neither a repo nor a branch, tag or commit of app. Did you mean `hang`? Repos: app, hang.");
        exactly(say("a typo of a ref", "alice", "test app featur"),
                "There is no branch, tag or commit `featur` in repo app. Did you mean `feature`?");
        say("a failing run", "bob", "test app broken", "failed: 1 passed, 1 failed");
        Step timedOut = say("a run killed at its time limit", "alice", "test hang", "timed_out: ");
        assertThat(timedOut.entry().replies()).extracting(Said::reply).filteredOn(r -> r.text().startsWith("timed_out: ")).singleElement()
                .satisfies(r -> assertThat(r.text()).startsWith("timed_out: killed after the 2 s time limit · "))
                .satisfies(r -> assertThat(r.fields()).isEmpty());
        String slow = say("a slow run", "alice", "test app slow", "{id} · `test app slow` · checking out").opened();
        Step cancelled = say("cancel a running test", "alice", "cancel " + slow, "cancelled: ");
        Reply line = cancelled.entry().replies().stream().map(Said::reply).filter(r -> r.text().startsWith("cancelled: ")).findFirst().orElseThrow();
        assertThat(line.text()).startsWith("cancelled: cancelled by alice after ");
        assertThat(line.fields()).as("a cancelled run has its reason only, said once, in its line").isEmpty();
        exactly(say("a request id one digit off", "alice", "status R11"), "There is no request R11. Did you mean R1?");
        Step one = say("one request in detail", "alice", "status " + passed);
        assertThat(only(one).fields()).contains(new Reply.Field("asked by", "alice"), new Reply.Field("state", "succeeded"));
        assertThat(only(one).fields()).extracting(Reply.Field::label).doesNotContain("result").contains("evidence");
        say("cancel a request that ended", "alice", "cancel " + passed);
        say("cancel someone else's request", "bob", "cancel " + passed);
        say("rerun a test", "bob", "rerun " + passed, "{id} · `test` · succeeded");
        say("tests asked for from another platform", "Frank on Slack", "test", "{id} · `test` · succeeded");
        say("history", "alice", "history");
        say("history of one's own", "alice", "history mine");
        say("history of someone", "alice", "history @bob");
        say("history of someone with no requests", "alice", "history @erin");
        assertThat(catalogue.getLast().replies().getFirst().reply().text()).isEqualTo("No requests from erin yet.");
        say("the digest of the week", "alice", "digest");
    }

    private void agentsWithoutAModel() throws Exception {
        say("research without a model", "alice", "research how are the tests run?", "{id} · research report");
        say("code without a model", "alice", "code add a ping endpoint");
    }

    private void merges() throws Exception {
        say("a merge whose result fails its tests", "alice", "merge broken", "the tests did not pass", "failed: 1 passed, 1 failed");
        String id = propose("a merge, verified and open for votes", "alice", "merge feature");
        Reply card = card(id);
        assertThat(field(card, "may vote")).isEqualTo("engineers: bob, carol, dave. alice (author) cannot approve.");
        assertThat(field(card, "tally")).isEqualTo("no approvals yet; still needs 2 approvals");
        assertThat(card.text()).matches(Pattern.quote(id + " · merge `feature` into `main` — awaiting approval, closes in ") + "(59 m( \\d+ s)?|1 h)");
        say("the author approves", "alice", "approve " + id, "You are an author of " + id);
        say("someone outside every eligible group votes", "frank", "approve " + id, "Only members of engineers may vote on " + id);
        sayIn(RANDOM, "a vote in another channel", "bob", "approve " + id, "count only where the team sees them");
        exactly(say("the first approval", "bob", "approve " + id, "bob approved"), "bob approved " + id + ": 1 approval (bob); still needs 1 more approval.");
        assertThat(field(card(id), "tally")).isEqualTo("1 approval (bob); still needs 1 more approval");
        say("the same person again, on another platform", "bob on Slack", "approve " + id, "You already voted on " + id);
        say("quorum: the merge executes", "carol", "approve " + id, "Done: " + id);
        assertThat(card(id).text()).startsWith(id + " · merge `feature` into `main` — done: ");
        assertThat(field(card(id), "tally")).isEqualTo("2 approvals (bob, carol)");
        say("a vote on a request that is done", "dave", "approve " + id, id + " is already done");
        say("a vote on a request that takes none", "dave", "approve R1", "R1 is a test request");
        say("nothing left to merge", "alice", "merge feature", "nothing to merge");
        exactly(say("a typo of a branch", "alice", "merge featur"), "There is no branch `featur` in repo app. Did you mean `feature`?");
        say("merge a request that is no coding request", "alice", "merge R1");
        say("merge a branch into itself", "alice", "merge main");
        say("a merge that conflicts", "alice", "merge broken", "conflicts with `main` in run-tests.sh");

        String infra = propose("a change under infra/ needs an sre", "alice", "merge infra");
        say("one approval of three", "bob", "approve " + infra, "bob approved");
        exactly(say("two approvals, and still one from a group", "carol", "approve " + infra, "carol approved"),
                "carol approved " + infra + ": 2 approvals (bob, carol); still needs 1 from sre.");
        say("the group's approval completes the quorum", "erin", "approve " + infra, "Done: " + infra);
        assertThat(field(card(infra), "tally")).isEqualTo("3 approvals (bob, carol, erin)");
    }

    private void endStatesOfMerges() throws Exception {
        String cancelled = propose("a merge to cancel", "alice", "merge other");
        say("cancel someone else's open merge", "bob", "cancel " + cancelled, "Only alice");
        say("the requester cancels an open merge", "alice", "cancel " + cancelled, cancelled + " is cancelled.");
        assertThat(card(cancelled).text()).isEqualTo(cancelled + " · merge `other` into `main` — cancelled by alice");
        assertThat(card(cancelled).buttons()).isEmpty();

        String rejected = propose("a merge to veto", "alice", "merge other");
        say("an approval before the veto", "bob", "approve " + rejected, "bob approved");
        say("a veto", "carol", "reject " + rejected + " needs a changelog entry", "carol rejected");
        assertThat(card(rejected).text()).isEqualTo(rejected + " · merge `other` into `main` — rejected by carol: needs a changelog entry");
        assertThat(field(card(rejected), "tally")).isEqualTo("1 approval (bob); rejected by carol (needs a changelog entry)");

        String stale = propose("a merge whose branch moves after an approval", "alice", "merge other");
        say("an approval before the push", "bob", "approve " + stale, "bob approved");
        pushTo("other", Map.of("other.txt", "changed\n"));
        say("a vote after the push", "carol", "approve " + stale, stale + " is stale: ");
        assertThat(card(stale).text()).startsWith(stale + " · merge `other` into `main` — stale: `other` moved from ");
        assertThat(field(card(stale), "tally")).isEqualTo("void: the subject moved (1 approval (bob))");

        String expired = propose("a merge nobody votes on in time", "alice", "merge other");
        clock.advance(Duration.ofHours(2));
        await("the window closes", expired + " expired: no quorum within its window");
        assertThat(card(expired).text()).isEqualTo(expired + " · merge `other` into `main` — expired: the approval window closed before a quorum was reached");
        Step detail = say("an expired merge in detail", "alice", "status " + expired);
        assertThat(only(detail).fields()).contains(new Reply.Field("state", "expired"), new Reply.Field("tally", "no approvals yet"));
    }

    private void deploys() throws Exception {
        String first = propose("the first deploy to an environment", "alice", "deploy staging");
        assertThat(field(card(first), "change")).matches("first deploy to staging by Quorum: the whole tree, \\d+ files");
        say("a deploy approved", "bob", "approve " + first, "Done: " + first);
        String second = propose("a deploy after one before it", "alice", "deploy staging");
        assertThat(field(card(second), "change")).matches("no change: staging already runs [0-9a-f]{7}");
        say("the requester cancels a deploy", "alice", "cancel " + second, second + " is cancelled.");
        exactly(say("a typo of an environment", "alice", "deploy stagin"),
                "There is no environment `stagin`. Did you mean `staging`? Environments: production, staging.");
        say("a ref that does not exist", "alice", "deploy staging nosuch");
        say("a branch that is not on main", "alice", "deploy production other");

        webhook.answer(400);
        String production = propose("a deploy to production", "alice", "deploy production");
        assertThat(field(card(production), "tally")).isEqualTo("no approvals yet; still needs 2 approvals, at least 1 from oncall");
        exactly(say("one of two, and on-call still needed", "bob", "approve " + production, "bob approved"),
                "bob approved " + production + ": 1 approval (bob); still needs 1 from oncall.");
        exactly(say("two of two, and on-call still needed", "carol", "approve " + production, "carol approved"),
                "carol approved " + production + ": 2 approvals (bob, carol); still needs 1 from oncall.");
        say("on-call approves and the deployment system refuses", "dave", "approve " + production, "Failed: " + production);
        assertThat(card(production).text()).startsWith(production + " · deploy `main` to production — failed: the deployment webhook refused it");
        say("rerun a deploy", "alice", "rerun " + production);
    }

    private void theFreeze() throws Exception {
        say("freeze by someone not on call", "alice", "freeze");
        say("freeze", "dave", "freeze release train", "FROZEN by dave");
        say("freeze again", "dave", "freeze");
        say("research during a freeze", "alice", "research how are the tests run?");
        Step status = say("status while frozen", "alice", "status");
        assertThat(only(status).text()).startsWith("FROZEN by dave 0 s ago: release train.");

        String id = propose("a merge proposed during a freeze", "alice", "merge other");
        say("an approval during the freeze", "bob", "approve " + id, "bob approved");
        exactly(say("quorum during the freeze", "carol", "approve " + id, "carol approved"), "carol approved " + id
                + ": quorum reached (bob, carol), but Quorum is frozen: " + id + " executes on unfreeze if it is still valid.");
        Reply waiting = card(id);
        assertThat(waiting.text()).isEqualTo(id + " · merge `other` into `main` — quorum reached; waiting for unfreeze");
        assertThat(waiting.buttons()).as("no vote can count any more").isEmpty();
        say("a vote after the quorum, during the freeze", "dave", "approve " + id, "already has its quorum");
        say("unfreeze by someone not on call", "alice", "unfreeze");
        say("unfreeze: what waited executes", "dave", "unfreeze", "Done: " + id);
        assertThat(card(id).text()).startsWith(id + " · merge `other` into `main` — done: ");
        say("unfreeze when nothing is frozen", "dave", "unfreeze");
    }

    // --- driving Quorum --------------------------------------------------------------------------------------------

    /** What one step said and, when it opened a request, its id. */
    private record Step(Entry entry, String opened) {}

    private Step say(String situation, String who, String text, String... awaited) throws Exception {
        return sayIn(OPS, situation, who, text, awaited);
    }

    /**
     * Says {@code text} as {@code who} in {@code where} and files under {@code situation} what Quorum
     * said until a reply containing each of {@code awaited} came ({@code {id}} stands for the request the
     * text opened); with nothing awaited, what it said at once.
     */
    private Step sayIn(Conversation where, String situation, String who, String text, String... awaited) throws Exception {
        int from = team.said().size();
        Identity identity = PEOPLE.containsKey(who) ? PEOPLE.get(who) : Identity.console(who);
        IncomingMessage message = new IncomingMessage(identity, who, where, text, false, null, true);
        String opened = null;
        if (q.quorum().router().parse(text) instanceof ParseResult.Parsed p) {
            opened = q.quorum().router().execute(message, p.command()).orElse(null);
        } else {
            q.quorum().router().handle(message);
        }
        for (String fragment : awaited) {
            String wanted = opened == null ? fragment : fragment.replace("{id}", opened);
            waitFor(() -> situation + ": `" + wanted + "` among " + team.said().subList(from, team.said().size()).stream()
                    .map(x -> x.reply().text()).toList(), () -> team.said().subList(from, team.said().size()).stream()
                    .anyMatch(s -> s.reply().text().contains(wanted)));
        }
        Entry entry = new Entry(situation, who, text, List.copyOf(team.said().subList(from, team.said().size())));
        assertThat(entry.replies()).as("every message gets an answer: " + situation).isNotEmpty();
        catalogue.add(entry);
        return new Step(entry, opened);
    }

    /** Proposes a merge or deploy and waits for its card. */
    private String propose(String situation, String who, String text) throws Exception {
        return say(situation, who, text, "{id} · " + text.split(" ")[0] + " `").opened();
    }

    /** Files what Quorum said by itself (expiry) under {@code situation}. */
    private void await(String situation, String fragment) throws Exception {
        int from = team.said().size();
        waitFor(() -> situation, () -> team.said().stream().anyMatch(s -> s.reply().text().contains(fragment)));
        catalogue.add(new Entry(situation, "(nobody)", "(time passes)", List.copyOf(team.said().subList(Math.min(from, team.said().size()), team.said().size()))));
    }

    private static void waitFor(Supplier<String> situation, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) throw new AssertionError("no reply within " + WAIT + " for: " + situation.get());
            Thread.sleep(20);
        }
    }

    /** The card of {@code id} as last drawn. */
    private Reply card(String id) {
        return team.said().reversed().stream().map(Said::reply)
                .filter(r -> id.equals(r.requestId()) && CARD.matcher(r.text()).find()).findFirst().orElseThrow();
    }

    private static String field(Reply r, String label) {
        return r.fields().stream().filter(f -> f.label().equals(label)).map(Reply.Field::value).findFirst()
                .orElseThrow(() -> new AssertionError("no field " + label + " in " + r));
    }

    private static Reply only(Step s) {
        assertThat(s.entry().replies()).as(s.entry().situation()).hasSize(1);
        return s.entry().replies().getFirst().reply();
    }

    private static void exactly(Step s, String text) {
        assertThat(s.entry().replies()).as(s.entry().situation()).extracting(said -> said.reply().text()).contains(text);
    }

    // --- what every reply must be ----------------------------------------------------------------------------------

    private static void readsLikeAProduct(Entry e, Said s) {
        List<String> parts = new ArrayList<>();
        parts.add(s.reply().text());
        s.reply().fields().forEach(f -> {
            parts.add(f.label());
            parts.add(f.value());
        });
        s.reply().buttons().forEach(b -> parts.add(b.label()));
        if (s.reply().link() != null) parts.add(s.reply().link().label());
        for (String part : parts) {
            String where = e.situation() + " (`" + e.text() + "`): " + part;
            assertThat(IDENTITY.matcher(part).find()).as("an identity where a name exists in " + where).isFalse();
            assertThat(EPOCH.matcher(part).find()).as("an epoch number in " + where).isFalse();
            assertThat(ANSI.matcher(part).find()).as("an ANSI escape in " + where).isFalse();
            assertThat(TRACE.matcher(part).find()).as("a stack trace or exception name in " + where).isFalse();
            assertThat(NULL.matcher(part).find()).as("null in " + where).isFalse();
            assertThat(part).as("an apology for a bug in " + where).doesNotContain("Something went wrong");
        }
    }

    /** Approve and Reject are on a card exactly while it says votes are open, in every drawing of every card. */
    private void everyCardsButtonsMatchItsState() {
        Map<String, Reply> last = new LinkedHashMap<>();
        for (Said s : team.said()) {
            Reply r = s.reply();
            if (r.requestId() == null || !CARD.matcher(r.text()).find()) continue;
            boolean open = r.text().contains(" — awaiting approval, closes in ");
            assertThat(r.buttons().isEmpty()).as("buttons of " + r.text()).isEqualTo(!open);
            last.put(r.requestId(), r);
        }
        assertThat(last).hasSizeGreaterThanOrEqualTo(10);
        last.forEach((id, r) -> {
            String state = q.quorum().requests().find(id).orElseThrow().state().wire().replace('_', ' ');
            String shown = r.text().substring(r.text().indexOf(" — ") + 3);
            assertThat(shown).as("the last card of " + id + " says its state").startsWith(switch (state) {
                case "awaiting approval" -> "awaiting approval";
                case "executing" -> "quorum reached";
                default -> state;
            });
        });
    }

    /** The catalogue, for a human to read: each situation, what was said, and every reply with its fields and buttons. */
    private void writeCatalogue() throws Exception {
        StringBuilder md = new StringBuilder("# Every reply Quorum gives\n\nWritten by ReplyCatalogueTest: each situation, "
                + "what the member said, and everything Quorum said until the situation played out "
                + "(`post`: for everyone; `update`: an earlier message edited in place; `whisper`: only to the member).\n");
        for (Entry e : catalogue) {
            md.append("\n## ").append(e.situation()).append("\n\n> **").append(e.who()).append("**: `")
                    .append(e.text().length() > 100 ? e.text().substring(0, 100) + "…" : e.text()).append("`\n\n");
            for (Said s : e.replies()) {
                Reply r = s.reply();
                md.append("- *").append(s.how()).append(s.to() == null ? "" : " to " + e.who())
                        .append(", ").append(r.tone().name().toLowerCase()).append("*: ")
                        .append(r.text().replace("\n", "\n  ")).append('\n');
                r.fields().forEach(f -> md.append("  - ").append(f.label()).append(": ").append(f.value().replace("\n", "\n    ")).append('\n'));
                if (!r.buttons().isEmpty()) {
                    md.append("  - buttons: ").append(String.join(" ", r.buttons().stream().map(b -> "[" + b.label() + "]").toList())).append('\n');
                }
                if (r.link() != null) md.append("  - link: ").append(r.link().label()).append('\n');
            }
        }
        Path out = Path.of("target", "reply-catalogue.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md);
    }
}
