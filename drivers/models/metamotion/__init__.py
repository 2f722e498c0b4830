"""MbientLab MetaMotion boards (MetaWear firmware): R / RL / C (BMI160) and S (BMI270)."""
