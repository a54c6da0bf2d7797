package dev.quorum.testing;

/**
 * Test suites as shell scripts that behave like a real test run: print output and write a
 * Surefire-style JUnit XML report under {@code reports/}. Committed into test repositories and
 * run by Quorum with {@code test_command: sh run-tests.sh}.
 */
public final class Suites {
    public static final String SCRIPT = "run-tests.sh";
    public static final String COMMAND = "sh run-tests.sh";
    public static final String REPORTS = "reports/*.xml";

    private Suites() {}

    public static String passing(int tests) {
        StringBuilder cases = new StringBuilder();
        for (int i = 1; i <= tests; i++) cases.append("<testcase classname='app.CalcTest' name='case").append(i).append("' time='0.01'/>");
        return script("echo 'running " + tests + " tests'", "<testsuite name='app.CalcTest' tests='" + tests + "'>" + cases + "</testsuite>", 0);
    }

    public static String failing(String... failingNames) {
        StringBuilder cases = new StringBuilder("<testcase classname='app.CalcTest' name='adds' time='0.01'/>");
        for (String n : failingNames) {
            cases.append("<testcase classname='app.CalcTest' name='").append(n)
                    .append("' time='0.02'><failure message='expected 4 but was 5'>AssertionError</failure></testcase>");
        }
        return script("echo 'running tests'", "<testsuite name='app.CalcTest'>" + cases + "</testsuite>", 1);
    }

    /** Prints the given text (a fake secret, say) and passes. */
    public static String printing(String text) {
        return script("echo 'connecting with token " + text + "'; echo \"env token: ${LEAKY_TOKEN:-unset}\"",
                "<testsuite name='app.CalcTest'><testcase classname='app.CalcTest' name='adds'/></testsuite>", 0);
    }

    /** Starts, then waits far longer than any test timeout. */
    public static String hanging() {
        return "#!/bin/sh\necho 'starting the slow suite'\nsleep 300\n";
    }

    /** Runs the tests, then sleeps a little: long enough to watch it run or to cancel it. */
    public static String slowPassing(int seconds) {
        return "#!/bin/sh\necho 'warming up'\nsleep " + seconds + "\n" + passing(2).substring("#!/bin/sh\n".length());
    }

    private static String script(String output, String xml, int exit) {
        return "#!/bin/sh\n" + output + "\nmkdir -p reports\ncat > reports/TEST-app.CalcTest.xml <<'XML'\n<?xml version='1.0'?>\n"
                + xml + "\nXML\nexit " + exit + "\n";
    }
}
