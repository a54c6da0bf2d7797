package dev.quorum.conversation;

/**
 * Fits a {@link Reply} to what one message on a platform can hold, so that renderers only map.
 */
public final class ReplyFitter {
    private ReplyFitter() {}

    /**
     * What one message can hold, in characters (UTF-16 units) and counts.
     *
     * @param textPart      characters in one part of the main text
     * @param textParts     parts of the main text in one message
     * @param fields        labelled fields
     * @param fieldText     characters of one field, label and value together
     * @param buttonLabel   characters of a button's label
     * @param buttonsPerRow buttons in one row
     * @param buttonRows    rows of buttons
     * @param buttonCommand characters of the command a button carries
     */
    public record Limits(int textPart, int textParts, int fields, int fieldText, int buttonLabel,
                         int buttonsPerRow, int buttonRows, int buttonCommand) {
        /** No platform limits (the console): everything is kept as it is. */
        public static final Limits NONE = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

        public Limits {
            if (textPart < 16 || textParts < 1 || fields < 0 || fieldText < 16 || buttonLabel < 4
                    || buttonsPerRow < 1 || buttonRows < 0 || buttonCommand < 1) {
                throw new IllegalArgumentException("limits too small to fit a reply: " + this);
            }
        }
    }
}
