package dev.quorum.agent.research;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sources tools actually returned in one research run; the only numbers a report may cite. Returning the same
 * locator twice gives the same number. Confined to the run's thread.
 */
public final class SourceLedger {

    private final List<Source> sources = new ArrayList<>();
    private final Map<String, Source> byLocator = new HashMap<>();

    /** Numbers {@code locator} (or returns the number it already has). */
    public Source register(Source.Kind kind, String locator, String title) {
        return byLocator.computeIfAbsent(locator, l -> {
            Source source = new Source(sources.size() + 1, kind, l, title);
            sources.add(source);
            return source;
        });
    }

    public Optional<Source> find(int number) {
        return number >= 1 && number <= sources.size() ? Optional.of(sources.get(number - 1)) : Optional.empty();
    }

    public List<Source> all() {
        return List.copyOf(sources);
    }
}
