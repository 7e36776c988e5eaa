public enum LayerUIPlaceholder {}
