import LayerUI
