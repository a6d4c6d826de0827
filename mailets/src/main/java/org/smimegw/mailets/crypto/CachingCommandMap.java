package org.smimegw.mailets.crypto;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.activation.CommandInfo;
import jakarta.activation.CommandMap;
import jakarta.activation.DataContentHandler;
import jakarta.activation.DataSource;

/**
 * Jakarta Activation's default command map with the content handler of each MIME type made once: the default
 * {@code MailcapCommandMap} loads the handler's class and makes a new instance by reflection every time a
 * {@code DataHandler} writes its object, twice per message signed and encrypted (5.5 % of the pipeline's samples).
 * The handlers it returns (Jakarta Mail's and Bouncy Castle's S/MIME handlers) keep no state between calls. Misses go
 * to the default map as it is then, so handlers registered later (Bouncy Castle adds its S/MIME types when its
 * generators load) are found. Set per {@code DataHandler} by {@link MessageFiles#dataHandler}, never as the default.
 */
final class CachingCommandMap extends CommandMap {

    /** A type without a handler (the default map returned null), so that the miss is not asked again. */
    private static final DataContentHandler NONE = new NoHandler();

    private final Map<String, DataContentHandler> handlers = new ConcurrentHashMap<>();

    @Override
    public DataContentHandler createDataContentHandler(String mimeType) {
        String type = mimeType.toLowerCase(Locale.ROOT);
        DataContentHandler handler = handlers.get(type);
        if (handler == null) {
            handler = CommandMap.getDefaultCommandMap().createDataContentHandler(mimeType);
            handlers.putIfAbsent(type, handler == null ? NONE : handler);
        }
        return handler == NONE ? null : handler;
    }

    @Override
    public DataContentHandler createDataContentHandler(String mimeType, DataSource ds) {
        return createDataContentHandler(mimeType);
    }

    @Override
    public CommandInfo[] getPreferredCommands(String mimeType) {
        return CommandMap.getDefaultCommandMap().getPreferredCommands(mimeType);
    }

    @Override
    public CommandInfo[] getAllCommands(String mimeType) {
        return CommandMap.getDefaultCommandMap().getAllCommands(mimeType);
    }

    @Override
    public CommandInfo getCommand(String mimeType, String cmdName) {
        return CommandMap.getDefaultCommandMap().getCommand(mimeType, cmdName);
    }

    @Override
    public String[] getMimeTypes() {
        return CommandMap.getDefaultCommandMap().getMimeTypes();
    }

    private static final class NoHandler implements DataContentHandler {
        @Override
        public jakarta.activation.ActivationDataFlavor[] getTransferDataFlavors() {
            return new jakarta.activation.ActivationDataFlavor[0];
        }

        @Override
        public Object getTransferData(jakarta.activation.ActivationDataFlavor df, DataSource ds) {
            return null;
        }

        @Override
        public Object getContent(DataSource ds) {
            return null;
        }

        @Override
        public void writeTo(Object obj, String mimeType, java.io.OutputStream os) {
            throw new UnsupportedOperationException("no content handler for " + mimeType);
        }
    }
}
