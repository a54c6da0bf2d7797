package dev.quorum.sandbox;

import java.util.List;

/**
 * {@code sandbox: off}: the command runs as a plain child of Quorum, with the environment it was
 * given and nothing else of Quorum's, but it can read whatever Quorum's user can. Only ever by an
 * explicit setting; every evidence record and card then says "unsandboxed".
 */
record Unsandboxed(String repo) implements Sandbox {

    @Override
    public Launch prepare(RunRequest run) {
        return new Launch(List.of("/bin/sh", "-c", run.command()), run.env(), run.checkout(), false, Launch.Aftermath.NONE);
    }

    @Override
    public boolean confines() {
        return false;
    }

    @Override
    public String describe() {
        return "unsandboxed (repos." + repo + ".sandbox: off)";
    }
}
