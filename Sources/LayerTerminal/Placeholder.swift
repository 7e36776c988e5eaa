public enum LayerTerminalPlaceholder {}
