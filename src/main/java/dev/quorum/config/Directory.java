package dev.quorum.config;

import dev.quorum.conversation.Identity;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is who, from {@code people:} and {@code groups:}: one person may have identities on
 * several platforms and counts once; a group lists identities and/or people, and membership
 * follows the person across platforms. Immutable and thread-safe.
 */
public final class Directory {
    private static final String GITHUB = "github:";
    private final Map<String, String> personOfIdentity = new HashMap<>();
    private final Map<String, Set<String>> groupMembers = new HashMap<>();
    private final Map<String, Set<Identity>> identitiesOfPerson = new HashMap<>();

    public Directory(QuorumConfig config) {
        config.people().forEach((person, identities) -> {
            for (String identity : identities == null ? List.<String>of() : identities) {
                personOfIdentity.put(canonical(identity), person);
                identitiesOfPerson.computeIfAbsent(person, p -> new HashSet<>()).add(Identity.parse(canonical(identity)));
            }
        });
        config.groups().forEach((group, members) -> {
            Set<String> people = new HashSet<>();
            for (String member : members == null ? List.<String>of() : members) people.add(personKey(member));
            groupMembers.put(group, people);
        });
    }

    /**
     * The key that identifies one human across platforms: the person's name when the identity
     * is linked in {@code people:}, else the identity itself.
     */
    public String personOf(Identity identity) {
        return personKey(identity.toString());
    }

    /**
     * Every identity of the identity's person ({@code people:}), the identity itself among them: one human on every
     * platform, for filters that name a person by one of them. An identity linked to nobody is only itself.
     */
    public Set<Identity> identitiesOf(Identity identity) {
        String key = personOf(identity);
        Set<Identity> all = new HashSet<>(Set.of(identity));
        if (key.startsWith("person:")) all.addAll(identitiesOfPerson.getOrDefault(key.substring(7), Set.of()));
        return Set.copyOf(all);
    }

    /** The identities of the person {@code people:} names {@code name}, if it names one. */
    public Optional<Set<Identity>> person(String name) {
        Set<Identity> of = identitiesOfPerson.get(name);
        return of == null ? Optional.empty() : Optional.of(Set.copyOf(of));
    }

    private String personKey(String member) {
        if (!member.contains(":")) return "person:" + member;
        String identity = canonical(member);
        String person = personOfIdentity.get(identity);
        return person == null ? identity : "person:" + person;
    }

    /**
     * An identity as the directory compares it: GitHub logins ignore case ({@code github:Alice} is
     * {@code github:alice}), so a login is one person however the config or a payload spells it.
     */
    private static String canonical(String identity) {
        return identity.startsWith(GITHUB) ? identity.toLowerCase(Locale.ROOT) : identity;
    }

    public boolean isMember(Identity identity, String group) {
        return isMember(identity, Set.of(), group);
    }

    /** Member through the identity's person or through one of its platform roles. */
    public boolean isMember(Identity identity, Set<String> roles, String group) {
        Set<String> members = groupMembers.get(group);
        return members != null && (members.contains(personOf(identity)) || roles.stream().anyMatch(members::contains));
    }

    /** The groups the identity (through its person) belongs to, sorted. */
    public Set<String> groupsOf(Identity identity) {
        return groupsOf(identity, Set.of());
    }

    /**
     * The groups the identity (through its person) or one of its platform {@code roles} (as
     * {@code groups:} lists them, e.g. {@code discord-role:<guild>/<role>}) belongs to, sorted.
     */
    public Set<String> groupsOf(Identity identity, Set<String> roles) {
        Set<String> out = new TreeSet<>();
        String key = personOf(identity);
        groupMembers.forEach((group, members) -> {
            if (members.contains(key) || roles.stream().anyMatch(members::contains)) out.add(group);
        });
        return out;
    }

    /** A group's members as people read them: person names, console user names, other identities as they are. */
    public List<String> memberNames(String group) {
        return groupMembers.getOrDefault(group, Set.of()).stream()
                .map(k -> k.startsWith("person:") ? k.substring(7) : k.startsWith("console:") ? k.substring(8) : k)
                .sorted().toList();
    }

    /** How to name an identity's person in chat. */
    public String nameOf(Identity identity) {
        String key = personOf(identity);
        return key.startsWith("person:") ? key.substring(7) : identity.platform().equals("console") ? identity.id() : key;
    }

    /**
     * How to name an identity's person in chat, with {@code given} (the name the platform gave
     * with a message) where the directory knows no name for it: never {@code slack:U024BE7LH}
     * when a name exists.
     */
    public String nameOf(Identity identity, String given) {
        String name = nameOf(identity);
        return name.equals(identity.toString()) && given != null && !given.isBlank() ? given : name;
    }

    /** {@link #nameOf(Identity)} of an identity as stored ({@code console:dave}); text of another shape is shown as it is. */
    public String nameOf(String storedIdentity) {
        try {
            return nameOf(Identity.parse(storedIdentity));
        } catch (IllegalArgumentException e) {
            return storedIdentity;
        }
    }

    /** True when two identities are the same human. */
    public boolean samePerson(Identity a, Identity b) {
        return personOf(a).equals(personOf(b));
    }
}
