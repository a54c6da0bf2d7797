package dev.quorum.web;

import dev.quorum.approval.MayVote;
import dev.quorum.audit.AuditEntry;
import dev.quorum.audit.AuditLog;
import dev.quorum.audit.AuditVerification;
import dev.quorum.conversation.Identity;
import dev.quorum.conversation.Reply;
import dev.quorum.repo.CommitNotFoundException;
import dev.quorum.repo.DiffRange;
import dev.quorum.repo.RepoHosts;
import dev.quorum.repo.Sha;
import dev.quorum.request.FreezeSwitch;
import dev.quorum.request.Request;
import dev.quorum.request.RequestFacet;
import dev.quorum.request.RequestIds;
import dev.quorum.request.RequestPage;
import dev.quorum.request.RequestQuery;
import dev.quorum.request.RequestState;
import dev.quorum.request.RequestStore;
import dev.quorum.request.RequestType;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The read API (SPEC §7): request history, one request's full record, and the audit log. Every
 * route needs a console user (token or session, see {@link ConsoleAuth}), except in demo mode.
 */
public final class ApiRoutes implements HttpEndpoint {
    /** At most this many actions waiting and requests running in an inbox; the history has the rest. */
    private static final int INBOX_MAX = 50;
    private static final int INBOX_MINE = 20;
    private final Vertx vertx;
    private final People people;
    private final ConsoleAuth auth;
    private final RequestStore requests;
    private final AuditLog audit;
    private final List<RequestFacet> facets;
    private final LogFiles logs;
    private final RepoHosts hosts;
    private final Diffs diffs;
    private final FreezeSwitch freeze;
    private final Voting voting;
    private final ChatLinks chatLinks;

    /** Where a request's full log is, if it has one. */
    @FunctionalInterface
    public interface LogFiles {
        java.util.Optional<java.nio.file.Path> of(String requestId);
    }

    /** Which change a request is about, if it is about one (a merge, a deploy, a coding run). Blocking. */
    @FunctionalInterface
    public interface Diffs {
        java.util.Optional<DiffRange> of(Request request);

        /** The first source's answer that is not empty. */
        static Diffs firstOf(List<Diffs> sources) {
            List<Diffs> all = List.copyOf(sources);
            return r -> all.stream().map(d -> d.of(r)).flatMap(java.util.Optional::stream).findFirst();
        }
    }

    /**
     * Whether a person may vote on an action request now, and why not: the approval rules' own answer
     * ({@link dev.quorum.approval.ApprovalService#mayVote}), never worked out here. Blocking.
     */
    @FunctionalInterface
    public interface Voting {
        MayVote of(Request request, Identity who);
    }

    public ApiRoutes(Vertx vertx, ConsoleAuth auth, RequestStore requests, AuditLog audit, List<RequestFacet> facets,
                     LogFiles logs, Diffs diffs, RepoHosts hosts, FreezeSwitch freeze, Voting voting) {
        this(vertx, auth, requests, audit, facets, logs, diffs, hosts, freeze, voting, new ChatLinks(List.of()), Set::of);
    }

    /**
     * @param chatLinks how a request's page links to its chat thread
     * @param people    who the history's person filters mean: an identity's person's every identity (people:), and
     *                  a bare name's when it names a person
     */
    public ApiRoutes(Vertx vertx, ConsoleAuth auth, RequestStore requests, AuditLog audit, List<RequestFacet> facets,
                     LogFiles logs, Diffs diffs, RepoHosts hosts, FreezeSwitch freeze, Voting voting, ChatLinks chatLinks,
                     People people) {
        this.people = people;
        this.chatLinks = chatLinks;
        this.vertx = vertx;
        this.auth = auth;
        this.requests = requests;
        this.audit = audit;
        this.facets = List.copyOf(facets);
        this.logs = logs;
        this.diffs = diffs;
        this.hosts = hosts;
        this.freeze = freeze;
        this.voting = voting;
    }

    @Override
    public void mount(Router r) {
        r.route("/api/requests*").handler(this::authenticate);
        r.route("/api/audit*").handler(this::authenticate);
        r.route("/api/status").handler(this::authenticate);
        r.route("/api/inbox").handler(this::authenticate);
        r.get("/api/console/meta").handler(this::meta);
        r.get("/api/inbox").handler(ctx -> auth.asCaller(ctx, this::inbox));
        r.get("/api/status").handler(this::status);
        r.get("/api/requests").handler(this::list);
        r.get("/api/requests.csv").handler(this::csv);
        r.get("/api/requests/stats").handler(this::stats);
        r.get("/api/requests/:id").handler(this::one);
        r.get("/api/requests/:id/log").handler(this::log);
        r.get("/api/requests/:id/diff").handler(this::diff);
        r.get("/api/audit").handler(this::auditLog);
        r.get("/api/audit/verify").handler(this::verify);
        r.get("/api/audit/anchors").handler(this::anchors);
    }

    private void authenticate(RoutingContext ctx) {
        if (auth.demo() && !ConsoleAuth.hasToken(ctx.request())) {
            ctx.next(); // demo mode: history is open to every demo user
            return;
        }
        auth.asCaller(ctx, (c, user) -> c.next());
    }

    /** The request's filters, or a 400 naming the bad one (then empty). */
    private java.util.Optional<RequestQuery> queryOr400(RoutingContext ctx) {
        try {
            return java.util.Optional.of(query(ctx, people));
        } catch (IllegalArgumentException e) {
            Json.error(ctx, 400, e.getMessage());
            return java.util.Optional.empty();
        }
    }

    private void list(RoutingContext ctx) {
        var query = queryOr400(ctx);
        if (query.isEmpty()) return;
        auth.caller(ctx).otherwise(java.util.Optional.empty()).onSuccess(who -> Blocking.run(vertx, () -> {
            RequestPage page = requests.list(query.get());
            List<Object> items = new ArrayList<>();
            for (Request r : page.requests()) {
                items.add(r.state() == RequestState.AWAITING_APPROVAL ? withYou(RequestJson.of(r), r, who) : RequestJson.of(r));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("requests", items);
            body.put("next", page.next() == null ? null : page.next().wire());
            return body;
        }).onSuccess(body -> Json.send(ctx, 200, body))
                .onFailure(e -> Json.error(ctx, 503, "history is unavailable: " + e.getMessage())));
    }

    /** {@code GET /api/requests.csv}: the list's rows for the same filters, every page (its limit and cursor are not used). */
    private void csv(RoutingContext ctx) {
        var query = queryOr400(ctx);
        if (query.isEmpty()) return;
        Blocking.run(vertx, () -> {
            HistoryCsv.stream(requests, query.get(), ctx.response());
            return true;
        }).onFailure(e -> {
            if (!ctx.response().headWritten()) Json.error(ctx, 503, "history is unavailable: " + e.getMessage());
            else ctx.response().reset(); // cut: a client must not take a partial export for the whole
        });
    }

    /** Totals for the dashboard over the same filters as the list. */
    private void stats(RoutingContext ctx) {
        var query = queryOr400(ctx);
        if (query.isEmpty()) return;
        Blocking.run(vertx, () -> requests.stats(query.get())).onSuccess(st -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("count", st.count());
            body.put("by_state", st.byState());
            body.put("cost_usd", st.costUsd());
            Json.send(ctx, 200, body);
        }).onFailure(e -> Json.error(ctx, 503, "statistics are unavailable: " + e.getMessage()));
    }

    /** Whether Quorum is frozen, for the page's banner. */
    private void status(RoutingContext ctx) {
        Blocking.run(vertx, freeze::current).onSuccess(frozen -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("frozen", frozen.isPresent());
            body.put("by", frozen.map(FreezeSwitch.Frozen::by).orElse(null));
            body.put("reason", frozen.map(FreezeSwitch.Frozen::reason).orElse(null));
            body.put("at", frozen.map(f -> f.at().toString()).orElse(null));
            Json.send(ctx, 200, body);
        }).onFailure(e -> Json.error(ctx, 503, "status is unavailable: " + e.getMessage()));
    }

    static RequestQuery query(RoutingContext ctx, People people) {
        RequestState state = enumParam(ctx, "state", RequestState.class);
        RequestType type = enumParam(ctx, "type", RequestType.class);
        Set<Identity> user = identityParam(ctx, "user", people);
        Set<Identity> requester = identityParam(ctx, "requester", people);
        if (user != null && requester != null && !user.equals(requester)) {
            throw new IllegalArgumentException("user and requester name the same filter; give one of them");
        }
        Set<Identity> approver = identityParam(ctx, "approver", people);
        String repo = nameParam(ctx, "repo");
        String environment = nameParam(ctx, "environment");
        Instant since = timeParam(ctx, "since", false);
        Instant until = timeParam(ctx, "until", true);
        String text = ctx.request().getParam("q");
        if (text != null && text.length() > RequestQuery.MAX_TEXT) {
            throw new IllegalArgumentException("q must be at most " + RequestQuery.MAX_TEXT + " characters");
        }
        int limit = 50;
        String l = ctx.request().getParam("limit");
        if (l != null) {
            if (!l.matches("\\d{1,4}") || Integer.parseInt(l) < 1 || Integer.parseInt(l) > RequestQuery.MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be a number from 1 to " + RequestQuery.MAX_LIMIT);
            }
            limit = Integer.parseInt(l);
        }
        String c = ctx.request().getParam("cursor");
        RequestQuery.Cursor cursor = c == null ? null : RequestQuery.Cursor.parse(c);
        return new RequestQuery(state, type, user != null ? user : requester, approver, repo, environment, since, until, text,
                sort(ctx), cursor, limit);
    }

    /** {@code sort=created|updated} (created by default), {@code order=desc|asc} (newest first by default). */
    private static RequestQuery.Sort sort(RoutingContext ctx) {
        String by = ctx.request().getParam("sort");
        String order = ctx.request().getParam("order");
        if (by != null && !by.equals("created") && !by.equals("updated")) throw new IllegalArgumentException("sort must be created or updated");
        if (order != null && !order.equals("asc") && !order.equals("desc")) throw new IllegalArgumentException("order must be asc or desc");
        boolean ascending = "asc".equals(order);
        return "updated".equals(by) ? (ascending ? RequestQuery.Sort.UPDATED_ASC : RequestQuery.Sort.UPDATED_DESC)
                : ascending ? RequestQuery.Sort.CREATED_ASC : RequestQuery.Sort.CREATED_DESC;
    }

    /**
     * A person filter: {@code console:alice}, {@code slack:U024BE7LH}, or a bare name (a person of {@code people:}, else a
     * console user), meaning every identity of that person.
     */
    private static Set<Identity> identityParam(RoutingContext ctx, String name, People people) {
        String u = ctx.request().getParam(name);
        if (u == null) return null;
        if (!u.contains(":")) {
            Optional<Set<Identity>> person = people.named(u);
            if (person.isPresent()) return person.get();
        }
        try {
            return people.of(Identity.parse(u.contains(":") ? u : "console:" + u));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be an identity such as console:alice or slack:U024BE7LH, or a person's name");
        }
    }

    /** Who a person filter means, from the directory: the port keeps this class off the config's types in its tests. */
    public interface People {
        /** Every identity of {@code who}'s person, {@code who} among them. */
        Set<Identity> of(Identity who);

        /** The identities of the person so named, if there is one. */
        default Optional<Set<Identity>> named(String name) {
            return Optional.empty();
        }

        /** The people of {@code people:}. */
        static People of(dev.quorum.config.Directory directory) {
            return new People() {
                @Override
                public Set<Identity> of(Identity who) {
                    return directory.identitiesOf(who);
                }

                @Override
                public Optional<Set<Identity>> named(String name) {
                    return directory.person(name);
                }
            };
        }
    }

    /** A repository ({@code acme/web}) or environment ({@code production}) as the requests' inputs name them. */
    private static String nameParam(RoutingContext ctx, String name) {
        String v = ctx.request().getParam(name);
        if (v == null) return null;
        if (!v.matches("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}")) {
            throw new IllegalArgumentException(name + " must be a name such as " + (name.equals("repo") ? "acme/web" : "production"));
        }
        return v;
    }

    /**
     * {@code since} (from) and {@code until} (before) as an ISO date or instant; an {@code until} date takes in that whole
     * day, so that since=until=one day is that day.
     */
    private static Instant timeParam(RoutingContext ctx, String name, boolean endOfDay) {
        String si = ctx.request().getParam(name);
        if (si == null) return null;
        try {
            if (si.length() == 10) {
                LocalDate day = LocalDate.parse(si);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(si);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO date (2026-11-26) or instant (2026-11-26T10:00:00Z)");
        }
    }

    /** A filter naming one of an enum's values in lower case; an unknown one lists the known ones. */
    private static <E extends Enum<E>> E enumParam(RoutingContext ctx, String name, Class<E> type) {
        String value = ctx.request().getParam(name);
        if (value == null) return null;
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) return e;
        }
        throw new IllegalArgumentException("unknown " + name + " '" + value + "'; one of "
                + String.join(", ", Arrays.stream(type.getEnumConstants()).map(v -> v.name().toLowerCase()).toList()));
    }

    private void one(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!RequestIds.isId(id)) {
            Json.error(ctx, 404, "no request " + id);
            return;
        }
        auth.caller(ctx).otherwise(java.util.Optional.empty()).onSuccess(who -> Blocking.run(vertx,
                () -> requests.find(id).map(r -> r.type().isAction() ? withYou(full(r), r, who) : full(r))).onSuccess(found -> {
            if (found.isEmpty()) Json.error(ctx, 404, "no request " + RequestIds.normalize(id));
            else Json.send(ctx, 200, found.get());
        }).onFailure(e -> Json.error(ctx, 503, "the request is unavailable: " + e.getMessage())));
    }

    /** The full redacted log of a request's run, as text. */
    private void log(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!RequestIds.isId(id)) {
            Json.error(ctx, 404, "no request " + id);
            return;
        }
        Blocking.run(vertx, () -> logs.of(RequestIds.normalize(id))).onSuccess(path -> {
            if (path.isEmpty()) Json.error(ctx, 404, "no log for " + RequestIds.normalize(id));
            else ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").sendFile(path.get().toString());
        }).onFailure(e -> Json.error(ctx, 503, "the log is unavailable: " + e.getMessage()));
    }

    /**
     * The change a request is about, per file with its hunks (see {@link DiffJson}): a merge's target to its merge
     * result, a deploy's deployed commit to the one it deploys, a coding run's base to its branch.
     */
    private void diff(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!RequestIds.isId(id)) {
            Json.error(ctx, 404, "no request " + id);
            return;
        }
        String rid = RequestIds.normalize(id);
        Blocking.run(vertx, () -> {
            Request r = requests.find(rid).orElse(null);
            if (r == null) return new Answer(404, Map.of("error", "no request " + rid));
            var range = diffs.of(r);
            if (range.isEmpty()) return new Answer(404, Map.of("error", DiffJson.noDiff(r)));
            try {
                DiffRange d = range.get();
                return new Answer(200, DiffJson.of(r, d, hosts.get(d.repo()).changes(Sha.ofNullable(d.from()), new Sha(d.to()))));
            } catch (CommitNotFoundException | IllegalArgumentException e) {
                return new Answer(404, Map.of("error", "the commits of " + rid + "'s change are no longer in " + range.get().repo()));
            }
        }).onSuccess(a -> Json.send(ctx, a.status(), a.body()))
                .onFailure(e -> Json.error(ctx, 503, "the diff is unavailable: " + e.getMessage()));
    }

    /**
     * {@code you}: whether the caller may vote on this action now and why not ({@code null} for a caller who is
     * nobody, as demo mode lets them read). Blocking.
     */
    private Map<String, Object> withYou(Map<String, Object> m, Request r, java.util.Optional<String> who) {
        return withYou(m, who.map(user -> new Caller(user, voting.of(r, Identity.console(user)))).orElse(null));
    }

    private static Map<String, Object> withYou(Map<String, Object> m, Caller caller) {
        Map<String, Object> you = null;
        if (caller != null) {
            you = new LinkedHashMap<>();
            you.put("user", caller.user());
            you.put("may_vote", caller.may().mayVote());
            you.put("may_reject", caller.may().mayReject());
            you.put("why", caller.may().why());
        }
        m.put("you", you);
        return m;
    }

    /** A console user and what they may do on one request. */
    private record Caller(String user, MayVote may) {}

    /**
     * The signed-in member's inbox: the actions waiting for their vote (each with {@code you}), what they asked for
     * lately and where it stands, and what runs now, newest first.
     */
    private void inbox(RoutingContext ctx, String user) {
        Identity me = Identity.console(user);
        Blocking.run(vertx, () -> {
            List<Object> waiting = new ArrayList<>();
            for (Request r : requests.list(new RequestQuery(RequestState.AWAITING_APPROVAL, null, null, null, null, INBOX_MAX)).requests()) {
                MayVote may = voting.of(r, me);
                // Theirs to decide: an approval would count, or (an author of the work in it) a reject would
                if (may.mayVote() || may.mayReject() && !r.requester().equals(me)) {
                    waiting.add(withTally(withYou(RequestJson.of(r), new Caller(user, may)), r));
                }
            }
            List<Object> mine = new ArrayList<>();
            for (Request r : requests.list(new RequestQuery(null, null, null, null, null, INBOX_MINE).by(people.of(me))).requests()) {
                Map<String, Object> item = RequestJson.of(r);
                if (r.state() == RequestState.AWAITING_APPROVAL) withTally(withYou(item, r, java.util.Optional.of(user)), r);
                mine.add(item);
            }
            List<Request> now = new ArrayList<>();
            for (RequestState st : List.of(RequestState.QUEUED, RequestState.RUNNING, RequestState.VERIFYING, RequestState.EXECUTING)) {
                now.addAll(requests.list(new RequestQuery(st, null, null, null, null, INBOX_MAX)).requests());
            }
            now.sort(Comparator.comparingLong(Request::number).reversed());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("user", user);
            body.put("waiting", waiting);
            body.put("mine", mine);
            body.put("running", now.stream().limit(INBOX_MAX).map(r -> (Object) RequestJson.of(r)).toList());
            return body;
        }).onSuccess(body -> Json.send(ctx, 200, body))
                .onFailure(e -> Json.error(ctx, 503, "the inbox is unavailable: " + e.getMessage()));
    }

    /** The facets a card needs beside its buttons (the tally, the subject), as {@code GET /api/requests/{id}} has them. */
    private Map<String, Object> withTally(Map<String, Object> m, Request r) {
        for (RequestFacet f : facets) {
            if (f.name().equals("tally") || f.name().equals("subject")) m.put(f.name(), f.of(r));
        }
        return m;
    }

    /**
     * The words the page needs from the server rather than copies of its own: the request states in lifecycle
     * order (and which of them are still moving), the types, which types are actions, the reply tones.
     */
    private void meta(RoutingContext ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        List<RequestState> order = new ArrayList<>(Arrays.stream(RequestState.values()).filter(s -> !s.isTerminal()).toList());
        order.addAll(Arrays.stream(RequestState.values()).filter(RequestState::isTerminal).toList());
        body.put("states", order.stream().map(RequestState::wire).toList());
        body.put("active_states", order.stream().filter(s -> !s.isTerminal()).map(RequestState::wire).toList());
        body.put("types", Arrays.stream(RequestType.values()).map(RequestType::wire).toList());
        body.put("actions", Arrays.stream(RequestType.values()).filter(RequestType::isAction).map(RequestType::wire).toList());
        body.put("agent_types", Arrays.stream(RequestType.values()).filter(ApiRoutes::byAgent).map(RequestType::wire).toList());
        body.put("evidence_types", Arrays.stream(RequestType.values()).filter(ApiRoutes::withEvidence).map(RequestType::wire).toList());
        body.put("tones", Arrays.stream(Reply.Tone.values()).map(t -> t.name().toLowerCase(Locale.ROOT)).toList());
        body.put("page_max", RequestQuery.MAX_LIMIT);
        Json.send(ctx, 200, body);
    }

    /** Whether a model agent does the work, so that it has a cost and a transcript even before they come. */
    private static boolean byAgent(RequestType t) {
        return switch (t) {
            case RESEARCH, CODE -> true;
            case TEST, MERGE, DEPLOY -> false;
        };
    }

    /** Whether Quorum's own test run is part of it, so that its page has a place for the evidence before it comes. */
    private static boolean withEvidence(RequestType t) {
        return switch (t) {
            case TEST, CODE, MERGE, DEPLOY -> true;
            case RESEARCH -> false;
        };
    }

    /** An HTTP answer worked out off the event loop. */
    private record Answer(int status, Object body) {}

    private Map<String, Object> full(Request r) {
        Map<String, Object> m = RequestJson.of(r);
        m.put("votes", List.of());
        m.put("evidence", null);
        m.put("transcript", List.of());
        if (r.type().isAction()) m.put("subject", null);
        for (RequestFacet f : facets) {
            Object value = f.of(r);
            if (value != null || m.containsKey(f.name())) m.put(f.name(), value); // SPEC's keys always; others when they apply
        }
        List<Map<String, Object>> history = new ArrayList<>();
        List<AuditEntry> entries = audit.forRequest(r.id());
        for (AuditEntry e : entries) history.add(auditJson(e));
        m.put("history", history);
        m.put("timeline", RequestTimeline.of(r, m, entries)); // extensions (README): the story in order, and where it was said
        m.put("links", chatLinks.of(r));
        return m;
    }

    private void auditLog(RoutingContext ctx) {
        String after = ctx.request().getParam("after");
        if (after != null && !after.matches("\\d{1,20}-\\d{1,20}")) {
            Json.error(ctx, 400, "after must be an entry id such as 1732617600000-0");
            return;
        }
        String l = ctx.request().getParam("limit");
        if (l != null && (!l.matches("\\d{1,4}") || Integer.parseInt(l) < 1 || Integer.parseInt(l) > 1000)) {
            Json.error(ctx, 400, "limit must be a number from 1 to 1000");
            return;
        }
        int limit = l == null ? 100 : Integer.parseInt(l);
        String before = ctx.request().getParam("before");
        AuditSearch search;
        try {
            search = auditSearch(ctx);
        } catch (IllegalArgumentException e) {
            Json.error(ctx, 400, e.getMessage());
            return;
        }
        if (before != null && !before.matches("\\d{1,20}-\\d{1,20}") || before != null && after != null || search.any() && after != null) {
            Json.error(ctx, 400, after != null && (before != null || search.any())
                    ? "after pages forward through the whole chain; a search or before pages back from the newest"
                    : "before must be an entry id such as 1732617600000-0");
            return;
        }
        if (after != null) { // forward through the chain, oldest first, as before
            Blocking.run(vertx, () -> audit.read(after, limit)).onSuccess(entries -> Json.send(ctx, 200, auditBody(entries, null)))
                    .onFailure(e -> Json.error(ctx, 503, "the audit log is unavailable: " + e.getMessage()));
            return;
        }
        Blocking.run(vertx, () -> search.run(audit, before, limit)).onSuccess(page -> {
            Map<String, Object> body = auditBody(page.entries(), page.next());
            body.put("scanned", page.scanned());
            Json.send(ctx, 200, body);
        }).onFailure(e -> Json.error(ctx, 503, "the audit log is unavailable: " + e.getMessage()));
    }

    /** {@code entries}, and {@code next}: the {@code before} cursor for older matches (null at the chain's start). */
    private static Map<String, Object> auditBody(List<AuditEntry> entries, String next) {
        List<Map<String, Object>> items = new ArrayList<>();
        entries.forEach(e -> items.add(auditJson(e)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", items);
        body.put("next", next);
        return body;
    }

    /** The audit search's terms ({@code request}, {@code actor}, {@code kind}, {@code q}), each literal text. */
    private static AuditSearch auditSearch(RoutingContext ctx) {
        String request = ctx.request().getParam("request");
        if (request != null && !request.isBlank() && !RequestIds.isId(request.strip())) {
            throw new IllegalArgumentException("request must be a request id such as R7");
        }
        for (String name : List.of("actor", "kind", "q")) {
            String v = ctx.request().getParam(name);
            if (v != null && v.length() > 200) throw new IllegalArgumentException(name + " must be at most 200 characters");
        }
        return new AuditSearch(request == null || request.isBlank() ? null : RequestIds.normalize(request.strip()),
                ctx.request().getParam("actor"), ctx.request().getParam("kind"), ctx.request().getParam("q"));
    }

    /** Where this instance's anchors outside Redis are, how many, the latest. */
    private void anchors(RoutingContext ctx) {
        Blocking.run(vertx, audit::anchorSummary).onSuccess(a -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("file", a.file());
            body.put("present", a.present());
            body.put("anchors", a.anchors());
            body.put("latest", a.latest());
            body.put("latest_hash", a.hash());
            body.put("written_at", a.written() == null ? null : a.written().toString());
            Json.send(ctx, 200, body);
        }).onFailure(e -> Json.error(ctx, 503, "the audit anchors are unavailable: " + e.getMessage()));
    }

    private void verify(RoutingContext ctx) {
        Blocking.run(vertx, audit::verify).onSuccess(v -> Json.send(ctx, 200, verificationJson(v)))
                .onFailure(e -> Json.error(ctx, 503, "the audit log is unavailable: " + e.getMessage()));
    }

    public static Map<String, Object> verificationJson(AuditVerification v) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", v.ok());
        body.put("entries", v.entries());
        if (!v.ok()) {
            body.put("first_bad", v.firstBad());
            body.put("problem", v.problem());
        }
        if (!v.notes().isEmpty()) body.put("notes", v.notes());
        return body;
    }

    private static Map<String, Object> auditJson(AuditEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("at", e.at().toString());
        m.put("type", e.type());
        m.put("actor", e.actor());
        m.put("request_id", e.requestId());
        Object data;
        try {
            data = Json.MAPPER.readTree(e.data());
        } catch (Exception ex) {
            data = e.data();
        }
        m.put("data", data);
        m.put("prev", e.prev());
        m.put("hash", e.hash());
        return m;
    }
}
