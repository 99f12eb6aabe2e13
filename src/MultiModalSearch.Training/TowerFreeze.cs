namespace MultiModalSearch.Training;

/// <summary>Which tower, if any, keeps its pretrained weights (LiT-style locked-image tuning freezes the vision tower).</summary>
public enum TowerFreeze
{
    None,
    Vision,
    Text,
}
