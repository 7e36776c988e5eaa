public enum LayerCorePlaceholder {}
