package dev.quorum.command;

import java.util.List;

/**
 * A command's help, as data: the parser's usage errors and {@code help} are generated from it.
 *
 * @param name     the command word
 * @param usage    the grammar, e.g. {@code test [<repo>] [<ref>]}
 * @param summary  what it does, one line
 * @param who      who may use it
 * @param examples typical uses
 */
public record CommandSpec(String name, String usage, String summary, String who, List<String> examples) {
    public CommandSpec {
        examples = List.copyOf(examples);
    }
}
