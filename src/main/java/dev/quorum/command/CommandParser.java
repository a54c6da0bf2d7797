package dev.quorum.command;

import dev.quorum.repo.RefName;
import dev.quorum.request.RequestIds;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of SPEC §3 for every adapter: a pure function from message text to a command
 * or a usage problem. It never throws on any input and never looks at state; the only thing it
 * knows is the names of configured repos, to tell {@code test demo} from {@code test main}.
 * {@code #123} (a pull request, SPEC §3) is taken where {@code test} and {@code merge} take a
 * ref or branch; whether the repo has pull requests is for their handlers to say.
 */
public final class CommandParser {
    public static final int MAX_LENGTH = 4000;
    private static final Pattern LEADING_MENTION = Pattern.compile(
            "^\\s*(?:@quorum\\b|/quorum\\b|quorum[:,])\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,39}");
    private static final Pattern WHO = Pattern.compile("@([A-Za-z0-9_.:-]{1,80})");
    private static final Pattern MONEY = Pattern.compile("\\$?(\\d{1,4}(?:\\.\\d{1,2})?)");

    private final Set<String> repoNames;

    public CommandParser(Set<String> repoNames) {
        this.repoNames = Set.copyOf(repoNames);
    }

    public ParseResult parse(String raw) {
        try {
            return parseChecked(raw);
        } catch (RuntimeException e) {
            // A bug in a rule must not become a stack trace in chat: answer as for bad input.
            return new ParseResult.NotACommand("I could not read that. Try `help`.");
        }
    }

    private ParseResult parseChecked(String raw) {
        if (raw == null) return new ParseResult.Parsed(new Command.Help(null));
        if (raw.length() > MAX_LENGTH) {
            return new ParseResult.NotACommand("That message is too long for a command (over " + MAX_LENGTH + " characters).");
        }
        String text = LEADING_MENTION.matcher(raw.strip()).replaceFirst("").strip();
        if (text.isEmpty()) return new ParseResult.Parsed(new Command.Help(null));
        if (text.startsWith(">")) return new ParseResult.NotACommand("Quoted text is not a command.");
        Tokens t = new Tokens(text);
        String word = t.next().toLowerCase(Locale.ROOT);
        return switch (word) {
            case "help" -> help(t);
            case "research" -> research(t);
            case "code" -> code(t);
            case "test" -> test(t);
            case "merge" -> merge(t);
            case "deploy" -> deploy(t);
            case "approve" -> idOnly(t, "approve", Command.Approve::new);
            case "reject" -> reject(t);
            case "status" -> status(t);
            case "history" -> history(t);
            case "cancel" -> idOnly(t, "cancel", Command.Cancel::new);
            case "rerun" -> idOnly(t, "rerun", Command.Rerun::new);
            case "freeze" -> ok(new Command.Freeze(t.rest()));
            case "unfreeze" -> t.hasNext() ? invalid("unfreeze", "`unfreeze` takes no arguments.") : ok(new Command.Unfreeze());
            case "policy" -> policy(t);
            case "incident" -> incident(t);
            case "digest" -> digest(t);
            default -> unknownCommand(word);
        };
    }

    /** A typo of a command gets that command's usage; anything else the pointer to {@code help}. */
    private static ParseResult unknownCommand(String word) {
        return DidYouMean.among(word, CommandCatalog.names())
                .map(near -> new ParseResult.NotACommand("I don't know the command `" + shorten(word) + "`. Did you mean `" + near + "`?",
                        CommandCatalog.usage(near)))
                .orElseGet(() -> new ParseResult.NotACommand("I don't know the command `" + shorten(word) + "`. Try `help`."));
    }

    private ParseResult help(Tokens t) {
        if (!t.hasNext()) return ok(new Command.Help(null));
        String topic = t.next().toLowerCase(Locale.ROOT);
        if (t.hasNext() || CommandCatalog.find(topic).isEmpty()) {
            return invalid("help", "There is no command `" + shorten(topic) + "`."
                    + DidYouMean.hint(topic, CommandCatalog.names()));
        }
        return ok(new Command.Help(topic));
    }

    private ParseResult research(Tokens t) {
        String question = t.rest();
        return question == null ? invalid("research", "What should I research?") : ok(new Command.Research(question));
    }

    private ParseResult code(Tokens t) {
        String repo = null;
        BigDecimal budget = null;
        while (t.hasNext()) {
            String next = t.peek();
            if (next.equalsIgnoreCase("in") && repo == null && t.peekAt(1) != null && repoNames.contains(t.peekAt(1))) {
                t.next();
                repo = t.next();
            } else if (next.equals("--budget") && budget == null) {
                t.next();
                String amount = t.hasNext() ? t.next() : "";
                Matcher m = MONEY.matcher(amount);
                if (!m.matches() || new BigDecimal(m.group(1)).signum() <= 0) {
                    return invalid("code", "`--budget` needs an amount in USD, such as `--budget 2.50`.");
                }
                budget = new BigDecimal(m.group(1));
            } else {
                break;
            }
        }
        String task = t.rest();
        return task == null ? invalid("code", "What should the coding agent do?") : ok(new Command.Code(repo, budget, task));
    }

    private ParseResult test(Tokens t) {
        List<String> args = t.remaining();
        if (args.size() > 2) return invalid("test", "`test` takes at most a repo and a ref.");
        String repo = null;
        String ref = null;
        if (args.size() == 2) {
            if (!repoNames.contains(args.get(0))) return invalid("test", NotFound.repo(args.get(0), repoNames));
            repo = args.get(0);
            ref = args.get(1);
        } else if (args.size() == 1) {
            if (repoNames.contains(args.get(0))) repo = args.get(0);
            else ref = args.get(0);
        }
        if (ref != null && ref.startsWith("#")) {
            return RefName.pullRequest(ref).isPresent() ? ok(new Command.Test(repo, ref)) : invalid("test", badPullRequest(ref));
        }
        if (ref != null && !GitRefs.isPlausible(ref)) return invalid("test", badRef(ref));
        return ok(new Command.Test(repo, ref));
    }

    private ParseResult merge(Tokens t) {
        if (!t.hasNext()) return invalid("merge", "What should I merge? Give a request id or a branch.");
        String source = t.next();
        String target = null;
        if (t.hasNext()) {
            if (!t.next().equalsIgnoreCase("into") || !t.hasNext()) return invalid("merge", "Name the target after `into`.");
            target = t.next();
            if (t.hasNext()) return invalid("merge", "Too many words after the target.");
            if (!GitRefs.isPlausible(target)) return invalid("merge", badRef(target));
        }
        if (RequestIds.isId(source)) source = RequestIds.normalize(source);
        else if (source.startsWith("#")) {
            if (RefName.pullRequest(source).isEmpty()) return invalid("merge", badPullRequest(source));
        } else if (!GitRefs.isPlausible(source)) return invalid("merge", badRef(source));
        return ok(new Command.Merge(source, target));
    }

    private ParseResult deploy(Tokens t) {
        if (!t.hasNext()) return invalid("deploy", "Which environment?");
        String env = t.next().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(env).matches()) return invalid("deploy", "`" + shorten(env) + "` is not an environment name.");
        String ref = t.hasNext() ? t.next() : null;
        if (t.hasNext()) return invalid("deploy", "`deploy` takes an environment and at most one ref.");
        if (ref != null && !GitRefs.isPlausible(ref)) return invalid("deploy", badRef(ref));
        return ok(new Command.Deploy(env, ref));
    }

    private ParseResult reject(Tokens t) {
        if (!t.hasNext()) return invalid("reject", "Which request? Give its id, such as `R12`.");
        String id = t.next();
        if (!RequestIds.isId(id)) return invalid("reject", notAnId(id));
        return ok(new Command.Reject(RequestIds.normalize(id), t.rest()));
    }

    private ParseResult incident(Tokens t) {
        if (!t.hasNext()) return invalid("incident", "Which deploy failed? Give its id, such as `R12`.");
        String id = t.next();
        if (!RequestIds.isId(id)) return invalid("incident", notAnId(id));
        String text = t.rest();
        return text == null ? invalid("incident", "What went wrong? Say it after the id: `incident " + RequestIds.normalize(id)
                + " checkout returns 500`.") : ok(new Command.Incident(RequestIds.normalize(id), text));
    }

    private ParseResult digest(Tokens t) {
        List<String> args = t.remaining();
        if (args.isEmpty()) return ok(new Command.Digest(Command.Digest.Period.WEEK));
        if (args.size() > 1) return invalid("digest", "`digest` takes at most one period: `week` or `month`.");
        String word = args.getFirst().toLowerCase(Locale.ROOT);
        for (Command.Digest.Period p : Command.Digest.Period.values()) {
            if (p.word().equals(word)) return ok(new Command.Digest(p));
        }
        return invalid("digest", "`" + shorten(args.getFirst()) + "` is not a period." + DidYouMean.hint(word, List.of("week", "month"))
                + " Say `digest week` (the last 7 days) or `digest month` (the last 30 days).");
    }

    private ParseResult status(Tokens t) {
        if (!t.hasNext()) return ok(new Command.Status(null));
        return idOnly(t, "status", Command.Status::new);
    }

    private ParseResult history(Tokens t) {
        String who = null;
        int last = Command.History.DEFAULT_LAST;
        boolean sawLast = false;
        while (t.hasNext()) {
            String word = t.next();
            if (word.equalsIgnoreCase("mine") && who == null) {
                who = "mine";
            } else if (WHO.matcher(word).matches() && who == null) {
                who = word.substring(1);
            } else if (word.equalsIgnoreCase("last") && !sawLast) {
                sawLast = true;
                String n = t.hasNext() ? t.next() : "";
                if (!n.matches("\\d{1,3}") || Integer.parseInt(n) < 1 || Integer.parseInt(n) > Command.History.MAX_LAST) {
                    return invalid("history", "`last` needs a number from 1 to " + Command.History.MAX_LAST + ".");
                }
                last = Integer.parseInt(n);
            } else {
                return invalid("history", "I don't understand `" + shorten(word) + "` here.");
            }
        }
        return ok(new Command.History(who, last));
    }

    private ParseResult policy(Tokens t) {
        List<String> args = t.remaining();
        if (args.isEmpty()) return ok(new Command.Policy(null));
        String action = String.join(".", args).toLowerCase(Locale.ROOT);
        if (!(action.equals("merge") || action.equals("deploy") || action.matches("deploy\\.[a-z][a-z0-9_-]{0,39}"))) {
            String typed = String.join(" ", args);
            return invalid("policy", "`" + shorten(typed) + "` is not an action." + DidYouMean.hint(typed, List.of("merge", "deploy"))
                    + " Actions are `merge`, `deploy` and `deploy <environment>`.");
        }
        return ok(new Command.Policy(action));
    }

    private ParseResult idOnly(Tokens t, String command, java.util.function.Function<String, Command> make) {
        if (!t.hasNext()) return invalid(command, "Which request? Give its id, such as `R12`.");
        String id = t.next();
        if (t.hasNext()) return invalid(command, "`" + command + "` takes only a request id.");
        if (!RequestIds.isId(id)) return invalid(command, notAnId(id));
        return ok(make.apply(RequestIds.normalize(id)));
    }

    private static ParseResult ok(Command c) {
        return new ParseResult.Parsed(c);
    }

    private static ParseResult invalid(String command, String problem) {
        return new ParseResult.Invalid(problem, CommandCatalog.usage(command));
    }

    private static String badRef(String ref) {
        return "`" + shorten(ref) + "` is not a valid git ref (branch, tag or commit SHA).";
    }

    /** {@code #0}, {@code #abc}: what starts like a pull request (SPEC §3: {@code #123}) and is none. */
    private static String badPullRequest(String text) {
        return "`" + shorten(text) + "` is not a pull request; pull requests look like `#123`.";
    }

    private static String notAnId(String text) {
        return "`" + shorten(text) + "` is not a request id; ids look like `R12`.";
    }

    /** Echoes of user text stay short and cannot break out of a code span. */
    static String shorten(String s) {
        String clean = s.replace("`", "'").replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
    }

    /** Whitespace-separated words, remembering where each starts so free text keeps its spacing. */
    private static final class Tokens {
        private final String text;
        private final List<int[]> spans = new ArrayList<>();
        private int pos;

        Tokens(String text) {
            this.text = text;
            Matcher m = Pattern.compile("\\S+").matcher(text);
            while (m.find()) spans.add(new int[]{m.start(), m.end()});
        }

        boolean hasNext() {
            return pos < spans.size();
        }

        String next() {
            int[] s = spans.get(pos++);
            return text.substring(s[0], s[1]);
        }

        String peek() {
            return peekAt(0);
        }

        String peekAt(int ahead) {
            int i = pos + ahead;
            if (i >= spans.size()) return null;
            int[] s = spans.get(i);
            return text.substring(s[0], s[1]);
        }

        List<String> remaining() {
            List<String> out = new ArrayList<>();
            while (hasNext()) out.add(next());
            return out;
        }

        /** The rest of the text from the next word on, or {@code null} when nothing is left. */
        String rest() {
            if (!hasNext()) return null;
            String r = text.substring(spans.get(pos)[0]).strip();
            pos = spans.size();
            return r;
        }
    }
}
