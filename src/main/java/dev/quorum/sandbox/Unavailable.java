package dev.quorum.sandbox;

/** No sandbox can be made here, and the repository did not opt out: its code does not run. */
record Unavailable(String repo, String reason) implements Sandbox {

    @Override
    public Launch prepare(RunRequest run) throws SandboxException {
        throw new SandboxException("Quorum runs repository code only in a sandbox, and none can be made here: " + reason
                + ". Fix that, or set repos." + repo + ".sandbox: off to run this repository's code unsandboxed.");
    }

    @Override
    public boolean confines() {
        return false;
    }

    @Override
    public String describe() {
        return "no sandbox: " + reason + " (runs are refused)";
    }
}
