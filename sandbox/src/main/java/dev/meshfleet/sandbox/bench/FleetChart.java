package dev.meshfleet.sandbox.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** HEALTHY installations over time, one line per combination, drawn by JFreeChart into a PNG. */
public final class FleetChart {

    private FleetChart() {
    }

    public static void write(List<FleetRun> runs, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection lines = new XYSeriesCollection();
        for (FleetRun run : runs) {
            XYSeries series = new XYSeries(run.label());
            for (FleetRun.Sample sample : run.timeline()) {
                series.add(sample.seconds(), sample.healthy());
            }
            lines.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Meshfleet: HEALTHY installations over time (ILM then GLM)",
                "seconds since the ILM was applied", "HEALTHY installations", lines, PlotOrientation.VERTICAL, true,
                false, false);
        chart.getXYPlot().setBackgroundPaint(java.awt.Color.WHITE);
        chart.getXYPlot().setDomainGridlinePaint(java.awt.Color.LIGHT_GRAY);
        chart.getXYPlot().setRangeGridlinePaint(java.awt.Color.LIGHT_GRAY);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1200, 700);
    }
}
